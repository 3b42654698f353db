import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { z } from 'zod';
import { documentImageSchema, type DocumentImage } from '../../domain/account.js';
import type { AccountDirectory } from '../../ports/account-directory.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { DocumentStore } from '../../ports/document-store.js';
import type { DocumentContentType } from './inspection.js';
import { DocumentImageUnreadableError, type DocumentImageCipher } from './image-cipher.js';

export interface DocumentImagesDependencies {
  store: DocumentStore;
  cipher: DocumentImageCipher;
  directory: AccountDirectory;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  /** How long the image of an approved submission is kept after the decision. */
  retentionMs: number;
}

/**
 * An upload that never became a submission (the form was abandoned after the image was
 * stored) is deleted after this long; a form is long closed by then.
 */
export const UNFILED_GRACE_MS = 24 * 60 * 60 * 1000;

const PREFIX = 'images/';
/** What is sealed with the file: its description and when it was stored (by the app's clock). */
const sealedSchema = documentImageSchema.extend({ storedAt: z.number().int().nonnegative() });
const FILED_SUFFIX = '.filed';
const IMAGE_KEY = /^images\/\d+\/[0-9a-f]{32}$/;

/** What happened to an image, as the audit records it. */
type ImageEvent = 'stored' | 'deleted-rejected' | 'deleted-retention' | 'deleted-unfiled' | 'deleted-orphan';

/**
 * Identity document images (SPEC §3.10): sealed before they reach the store, referred to by
 * the submission, opened only for a reviewer, and deleted on schedule — a rejected
 * submission's image right after the decision is announced, an approved one's after the
 * retention period, an upload nobody filed after a day. The audit keeps only that an image
 * existed and its keyed hash.
 *
 * Images live at `images/<account>/<hex>`; once a submission refers to one, a marker
 * `images/<account>/<hex>.filed` names the submission, so the retention sweep needs nothing
 * but the store and the directory.
 */
export class DocumentImages {
  constructor(private readonly deps: DocumentImagesDependencies) {}

  /**
   * The reference of an upload: the same Slack file of the same account always gets the same
   * one, so a form sent again after a field error reuses the stored image.
   */
  refOf(accountId: string, uploadId: string): string {
    const hex = this.deps.cipher.digest(Buffer.from(`upload:${accountId}:${uploadId}`, 'utf8')).slice(0, 32);
    return `${accountId}.${hex}`;
  }

  async store(
    accountId: string,
    uploadId: string,
    file: Buffer,
    contentType: DocumentContentType,
    actor: string,
  ): Promise<DocumentImage> {
    const ref = this.refOf(accountId, uploadId);
    const image: DocumentImage = {
      ref,
      contentType,
      bytes: file.length,
      digest: this.deps.cipher.digest(file),
    };
    const sealed = this.deps.cipher.seal(ref, { ...image, storedAt: this.deps.clock.now() }, file);
    await this.deps.store.put(imageKey(ref), sealed);
    await this.audit(actor, accountId, 'stored', image);
    return image;
  }

  /** The stored image's description, when `ref` is an image of this account that is still kept. */
  async describe(accountId: string, ref: string): Promise<DocumentImage | null> {
    if (!ref.startsWith(`${accountId}.`)) return null;
    return (await this.read(ref))?.image ?? null;
  }

  /** The image in clear, for a reviewer's one-time link; null once deleted or unreadable. */
  async read(ref: string): Promise<{ image: DocumentImage; file: Buffer; storedAt: number } | null> {
    const key = imageKey(ref);
    const sealed = await this.deps.store.get(key);
    if (sealed === null) return null;
    try {
      const opened = this.deps.cipher.open(ref, sealed);
      const { storedAt, ...image } = sealedSchema.parse(opened.metadata);
      if (image.ref !== ref) throw new DocumentImageUnreadableError();
      return { image, file: opened.file, storedAt };
    } catch (error) {
      this.deps.logger.error(
        { key, err: error instanceof Error ? error.name : 'unknown' },
        'stored document image cannot be read',
      );
      return null;
    }
  }

  /** Marks the image as the submission's, so retention follows that submission's decision. */
  async markFiled(ref: string, submissionId: string): Promise<void> {
    await this.deps.store.put(`${imageKey(ref)}${FILED_SUFFIX}`, Buffer.from(submissionId, 'utf8'));
  }

  /** A rejected submission's image goes as soon as the decision is announced. */
  async discardRejected(image: DocumentImage, actor: string): Promise<void> {
    await this.delete(imageKey(image.ref), actor, 'deleted-rejected', image);
  }

  /**
   * Deletes what is due: images of decided submissions past retention (rejected ones at
   * once), uploads never filed after a day, markers whose image is gone; of one account, or
   * of all. Returns how many images were deleted. Safe to run on several instances at once:
   * deletes are idempotent.
   */
  async sweep(accountId?: string): Promise<number> {
    const now = this.deps.clock.now();
    const objects = await this.deps.store.list(accountId === undefined ? PREFIX : `${PREFIX}${accountId}/`);
    const keys = new Set(objects.map((object) => object.key));
    let deleted = 0;
    for (const object of objects) {
      if (object.key.endsWith(FILED_SUFFIX)) {
        if (!keys.has(object.key.slice(0, -FILED_SUFFIX.length))) await this.deps.store.delete(object.key);
        continue;
      }
      if (!IMAGE_KEY.test(object.key)) continue;
      const due = await this.dueFor(object.key, keys.has(`${object.key}${FILED_SUFFIX}`), now);
      if (due !== null) {
        await this.delete(object.key, 'retention', due, null);
        deleted += 1;
      }
    }
    return deleted;
  }

  private async dueFor(key: string, filed: boolean, now: number): Promise<ImageEvent | null> {
    if (!filed) {
      // An image that cannot be read (another key, tampering) is left for an operator to look at.
      const storedAt = (await this.read(refOf(key)))?.storedAt;
      return storedAt !== undefined && now - storedAt >= UNFILED_GRACE_MS ? 'deleted-unfiled' : null;
    }
    const marker = await this.deps.store.get(`${key}${FILED_SUFFIX}`);
    const submission =
      marker === null ? null : await this.deps.directory.getSubmission(marker.toString('utf8'));
    if (submission === null) return 'deleted-orphan';
    switch (submission.status) {
      case 'pending':
        return null;
      case 'rejected':
        return 'deleted-rejected';
      case 'approved':
        return now - (submission.decision?.at ?? 0) >= this.deps.retentionMs ? 'deleted-retention' : null;
    }
  }

  private async delete(
    key: string,
    actor: string,
    event: ImageEvent,
    image: DocumentImage | null,
  ): Promise<void> {
    await this.deps.store.delete(key);
    await this.deps.store.delete(`${key}${FILED_SUFFIX}`);
    const accountId = key.split('/')[1] ?? '';
    await this.audit(actor, accountId, event, image);
  }

  private async audit(
    actor: string,
    accountId: string,
    event: ImageEvent,
    image: DocumentImage | null,
  ): Promise<void> {
    await this.deps.audit.record({
      actor,
      action: 'identity.document-image',
      outcome: 'success',
      accountId,
      detail: {
        event,
        ...(image
          ? { type: image.contentType, bytes: String(image.bytes), digest: grouped(image.digest) }
          : {}),
      },
    });
  }
}

function imageKey(ref: string): string {
  const [accountId, hex] = ref.split('.');
  if (!accountId || !hex || !/^\d+$/.test(accountId) || !/^[0-9a-f]{32}$/.test(hex)) {
    throw new RangeError('not a document image reference');
  }
  return `${PREFIX}${accountId}/${hex}`;
}

function refOf(key: string): string {
  const [, accountId, hex] = key.split('/');
  return `${accountId ?? ''}.${hex ?? ''}`;
}

/**
 * The keyed hash in groups of 16: one long hex run would read as a token to the audit
 * guard, and this hash is no secret (it proves which file was reviewed, and reveals nothing).
 */
function grouped(digest: string): string {
  return (digest.match(/.{1,16}/g) ?? []).join(':');
}
