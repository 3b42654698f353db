import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { maskDocumentNumber } from './masking.js';
import { normalizeDocumentNumber } from './validation.js';

/**
 * Identity document numbers at rest (security.md "Identity documents"): AES-256-GCM with
 * the configured document key for storage, and a keyed hash of the normalised number for
 * the one-account-per-document rule. Only reviewers ever see a number decrypted.
 *
 * Stored form: `v1.<iv>.<ciphertext>.<tag>`, each part base64url; the version names the
 * algorithm and key so a later key rotation can tell old values from new ones.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Fixed context strings: changing one would silently change every stored hash. */
const HASH_KEY_INFO = 'account-assistant/document-number-hash/v1';
const AAD = Buffer.from('account-assistant/document-number/v1');

/** A stored document number that cannot be read: altered, truncated, or from another key. */
export class DocumentDecryptionError extends Error {
  readonly code = 'DOCUMENT_UNREADABLE';
  constructor(detail: string) {
    super(
      `The stored document number cannot be decrypted (${detail}); it was altered or encrypted under another key.`,
    );
    this.name = 'DocumentDecryptionError';
  }
}

export class DocumentCipher {
  private readonly encryptionKey: Buffer;
  private readonly hashKey: Buffer;

  constructor(documentKey: Buffer) {
    if (documentKey.length !== 32) {
      throw new RangeError(`the document key must be 32 bytes, got ${documentKey.length}`);
    }
    this.encryptionKey = Buffer.from(documentKey);
    // A separate subkey so the encryption key is never also used as an HMAC key.
    this.hashKey = Buffer.from(hkdfSync('sha256', documentKey, Buffer.alloc(0), HASH_KEY_INFO, 32));
  }

  /** Encrypts the number as entered (trimmed); a fresh random IV every time. */
  encrypt(number: string): string {
    const plain = number.trim();
    if (plain === '') throw new RangeError('a document number must not be empty');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(AAD);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, ciphertext, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Throws DocumentDecryptionError for anything that is not intact ciphertext under this key. */
  decrypt(stored: string): string {
    const parts = stored.split('.');
    const [version, ivText, ciphertextText, tagText] = parts;
    if (parts.length !== 4 || version !== VERSION || !ivText || !ciphertextText || !tagText) {
      throw new DocumentDecryptionError('unknown format');
    }
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DocumentDecryptionError('bad length');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(AAD);
      decipher.setAuthTag(tag);
      const ciphertext = Buffer.from(ciphertextText, 'base64url');
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new DocumentDecryptionError('authentication failed');
    }
  }

  /** HMAC-SHA-256 of the normalised number, hex: equal for one document however it was typed. */
  hash(number: string): string {
    const normalised = normalizeDocumentNumber(number);
    if (normalised === '') throw new RangeError('a document number must not be empty');
    return createHmac('sha256', this.hashKey).update(normalised, 'utf8').digest('hex');
  }

  /** The three stored forms of a number a person just entered. */
  protect(number: string): {
    documentNumberEncrypted: string;
    documentHash: string;
    documentNumberMasked: string;
  } {
    return {
      documentNumberEncrypted: this.encrypt(number),
      documentHash: this.hash(number),
      documentNumberMasked: maskDocumentNumber(normalizeDocumentNumber(number)),
    };
  }
}
