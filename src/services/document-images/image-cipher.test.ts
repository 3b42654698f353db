import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DocumentImageCipher, DocumentImageUnreadableError } from './image-cipher.js';

const key = randomBytes(32);
const file = Buffer.concat([Buffer.from('%PDF-1.4 identity document '), randomBytes(4096)]);

describe('document image sealing', () => {
  it('opens what it sealed, under the same reference', () => {
    const cipher = new DocumentImageCipher(key);
    const sealed = cipher.seal('1000001.ab', { contentType: 'application/pdf' }, file);
    const opened = cipher.open('1000001.ab', sealed);
    expect(opened.file.equals(file)).toBe(true);
    expect(opened.metadata).toEqual({ contentType: 'application/pdf' });
  });

  it('leaves no plaintext in the sealed form and never seals the same file twice alike', () => {
    const cipher = new DocumentImageCipher(key);
    const one = cipher.seal('1000001.ab', {}, file);
    const two = cipher.seal('1000001.ab', {}, file);
    expect(one.includes(file.subarray(0, 16))).toBe(false);
    expect(one.includes(file.subarray(2000, 2032))).toBe(false);
    expect(one.equals(two)).toBe(false);
  });

  it('refuses a file moved under another reference, altered, truncated or sealed under another key', () => {
    const cipher = new DocumentImageCipher(key);
    const sealed = cipher.seal('1000001.ab', {}, file);
    expect(() => cipher.open('1000002.ab', sealed)).toThrow(DocumentImageUnreadableError);
    const altered = Buffer.from(sealed);
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 1;
    expect(() => cipher.open('1000001.ab', altered)).toThrow(DocumentImageUnreadableError);
    expect(() => cipher.open('1000001.ab', sealed.subarray(0, 40))).toThrow(DocumentImageUnreadableError);
    expect(() => new DocumentImageCipher(randomBytes(32)).open('1000001.ab', sealed)).toThrow(
      DocumentImageUnreadableError,
    );
  });

  it('gives the same keyed digest for the same file, another under another key', () => {
    const cipher = new DocumentImageCipher(key);
    expect(cipher.digest(file)).toBe(cipher.digest(Buffer.from(file)));
    expect(cipher.digest(file)).toMatch(/^[0-9a-f]{64}$/);
    expect(new DocumentImageCipher(randomBytes(32)).digest(file)).not.toBe(cipher.digest(file));
  });
});
