import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { S3DocumentStoreOptions } from '../../src/config/config.js';

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A real S3-compatible server (s3rver) on a loopback port with its files in a temp dir. */
export class S3Server {
  private buckets = 0;

  private constructor(
    private readonly server: S3rver,
    private readonly directory: string,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<S3Server> {
    const directory = mkdtempSync(join(tmpdir(), 'aa-s3-'));
    const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
    const { port } = await server.run();
    return new S3Server(server, directory, `http://127.0.0.1:${port}`);
  }

  /** A fresh empty bucket, and the store options that reach it. */
  async newBucket(): Promise<Omit<S3DocumentStoreOptions, 'prefix'>> {
    this.buckets += 1;
    const bucket = `docs-${process.pid}-${this.buckets}`;
    const client = new S3Client({
      endpoint: this.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: CREDENTIALS,
    });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    client.destroy();
    return { bucket, region: 'us-east-1', endpoint: this.endpoint, credentials: CREDENTIALS };
  }

  /** `DOCUMENT_STORE_URL` for a bucket of this server. */
  url(bucket: string): string {
    return `s3://${CREDENTIALS.accessKeyId}:${CREDENTIALS.secretAccessKey}@${bucket}/aa/?region=us-east-1&endpoint=${encodeURIComponent(this.endpoint)}`;
  }

  async close(): Promise<void> {
    await this.server.close();
    rmSync(this.directory, { recursive: true, force: true });
  }
}
