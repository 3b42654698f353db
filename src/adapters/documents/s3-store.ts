import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  assertValidDocumentKey,
  assertValidDocumentPrefix,
  type DocumentStore,
  type StoredObject,
} from '../../ports/document-store.js';
import type { S3DocumentStoreOptions } from '../../config/config.js';
import { TemporarilyUnavailableError } from '../../core/errors.js';

/**
 * A bucket that accepts connections and never answers must not hold a Slack form or a
 * reviewer's page for good: connecting may take this long, and a request may sit idle this
 * long (a large upload that keeps moving is not cut off).
 */
const CONNECT_TIMEOUT_MS = 2_000;
const IDLE_TIMEOUT_MS = 3_000;

/**
 * Document images in an S3-compatible bucket, for deployments with several instances. The
 * objects are ciphertext already; the bucket should still deny public access. Checksums are
 * sent only where S3 requires them, so servers that predate the newer checksum headers work.
 */
export class S3DocumentStore implements DocumentStore {
  private readonly client: S3Client;

  constructor(private readonly options: S3DocumentStoreOptions) {
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 2,
      requestHandler: {
        connectionTimeout: CONNECT_TIMEOUT_MS,
        requestTimeout: IDLE_TIMEOUT_MS,
        throwOnRequestTimeout: true,
      },
    });
  }

  async put(key: string, body: Buffer): Promise<void> {
    const command = new PutObjectCommand({
      Bucket: this.options.bucket,
      Key: this.objectKey(key),
      Body: body,
      ContentType: 'application/octet-stream',
    });
    await this.reach(() => this.client.send(command));
  }

  async get(key: string): Promise<Buffer | null> {
    const command = new GetObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) });
    try {
      return await this.reach(async () => {
        const answer = await this.client.send(command);
        return answer.Body ? Buffer.from(await answer.Body.transformToByteArray()) : null;
      });
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const command = new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) });
    await this.reach(() => this.client.send(command));
  }

  async list(prefix: string): Promise<StoredObject[]> {
    assertValidDocumentPrefix(prefix);
    const found: StoredObject[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.reach(() =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.options.bucket,
            Prefix: `${this.options.prefix}${prefix}`,
            ...(continuationToken ? { ContinuationToken: continuationToken } : {}),
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        found.push({
          key: object.Key.slice(this.options.prefix.length),
          storedAt: object.LastModified?.getTime() ?? 0,
        });
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
    return found;
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** The bucket out of reach (refused, timed out, reset) is an outage: callers fail closed and say so. */
  private async reach<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof S3ServiceException) throw error;
      throw new TemporarilyUnavailableError('document store', { cause: error });
    }
  }

  private objectKey(key: string): string {
    assertValidDocumentKey(key);
    return `${this.options.prefix}${key}`;
  }
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof NoSuchKey ||
    (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
  );
}
