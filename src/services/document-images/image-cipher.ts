import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Document images at rest: AES-256-GCM under a fresh key per file, derived with HKDF from
 * the document key and a random 32-byte salt stored with the file. The object's reference is
 * the additional data, so a file moved under another reference does not decrypt.
 *
 * Stored form: `AAI1` ‖ salt (32) ‖ IV (12) ‖ tag (16) ‖ ciphertext of
 * (metadata length, 4 bytes big-endian ‖ metadata JSON ‖ file).
 */
const FORMAT = Buffer.from('AAI1', 'latin1');
const SALT_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = FORMAT.length + SALT_BYTES + IV_BYTES + TAG_BYTES;
/** Fixed context strings: changing one makes every stored image unreadable. */
const FILE_KEY_INFO = 'account-assistant/document-image/v1';
const DIGEST_KEY_INFO = 'account-assistant/document-image-digest/v1';

export class DocumentImageUnreadableError extends Error {
  readonly code = 'DOCUMENT_IMAGE_UNREADABLE';
  constructor() {
    super(
      'A stored document image cannot be decrypted: it was altered, moved or encrypted under another key.',
    );
    this.name = 'DocumentImageUnreadableError';
  }
}

export class DocumentImageCipher {
  private readonly documentKey: Buffer;
  private readonly digestKey: Buffer;

  constructor(documentKey: Buffer) {
    if (documentKey.length !== 32)
      throw new RangeError(`the document key must be 32 bytes, got ${documentKey.length}`);
    this.documentKey = Buffer.from(documentKey);
    this.digestKey = Buffer.from(hkdfSync('sha256', documentKey, Buffer.alloc(0), DIGEST_KEY_INFO, 32));
  }

  /** A keyed hash of the file: what the audit keeps once the image itself is gone. */
  digest(file: Buffer): string {
    return createHmac('sha256', this.digestKey).update(file).digest('hex');
  }

  seal(ref: string, metadata: object, file: Buffer): Buffer {
    const salt = randomBytes(SALT_BYTES);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.fileKey(salt), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(this.additionalData(ref));
    const meta = Buffer.from(JSON.stringify(metadata), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(meta.length);
    const ciphertext = Buffer.concat([
      cipher.update(length),
      cipher.update(meta),
      cipher.update(file),
      cipher.final(),
    ]);
    return Buffer.concat([FORMAT, salt, iv, cipher.getAuthTag(), ciphertext]);
  }

  open(ref: string, sealed: Buffer): { metadata: unknown; file: Buffer } {
    if (sealed.length < HEADER_BYTES + 4 || !sealed.subarray(0, FORMAT.length).equals(FORMAT)) {
      throw new DocumentImageUnreadableError();
    }
    let offset = FORMAT.length;
    const take = (bytes: number) => sealed.subarray(offset, (offset += bytes));
    const salt = take(SALT_BYTES);
    const iv = take(IV_BYTES);
    const tag = take(TAG_BYTES);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.fileKey(salt), iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(this.additionalData(ref));
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(sealed.subarray(offset)), decipher.final()]);
    } catch {
      throw new DocumentImageUnreadableError();
    }
    const length = plain.readUInt32BE(0);
    if (4 + length > plain.length) throw new DocumentImageUnreadableError();
    try {
      return {
        metadata: JSON.parse(plain.subarray(4, 4 + length).toString('utf8')) as unknown,
        file: plain.subarray(4 + length),
      };
    } catch {
      throw new DocumentImageUnreadableError();
    }
  }

  private fileKey(salt: Buffer): Buffer {
    return Buffer.from(hkdfSync('sha256', this.documentKey, salt, FILE_KEY_INFO, 32));
  }

  private additionalData(ref: string): Buffer {
    return Buffer.concat([FORMAT, Buffer.from(ref, 'utf8')]);
  }
}
