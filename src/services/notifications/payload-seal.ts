import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CorruptRecordError } from '../../core/errors.js';

/**
 * Queued mail and texts can hold a code or a reset link, and a queued job sits in Redis
 * (and in its persistence files) until it is sent, and after its last attempt in the
 * failed set. So the rendered message is sealed with AES-256-GCM before it is queued;
 * the job id is the associated data, so a sealed body cannot be moved to another job.
 * Completed jobs drop even the sealed body (see the job queue adapters).
 */
export class PayloadSealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new RangeError('payload key must be 32 bytes');
  }

  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, body, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Throws CorruptRecordError when the text was changed, sealed for another job or with another key. */
  open(sealed: string, boundTo: string): string {
    const [version, iv, body, tag, ...rest] = sealed.split('.');
    if (version !== 'v1' || !iv || body === undefined || !tag || rest.length > 0) {
      throw new CorruptRecordError('sealed job payload', 'unknown format');
    }
    try {
      const authTag = Buffer.from(tag, 'base64url');
      // A shortened tag would weaken the check GCM makes; only the full 16 bytes are accepted.
      if (authTag.length !== 16) throw new Error('short tag');
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), {
        authTagLength: 16,
      });
      decipher.setAAD(Buffer.from(boundTo));
      decipher.setAuthTag(authTag);
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new CorruptRecordError('sealed job payload', 'it does not open with this key for this job');
    }
  }
}
