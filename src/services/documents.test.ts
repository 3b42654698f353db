import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectShared, keysUnder, uniquePrefix } from '../../test/support/redis.js';
import { RedisAccountDirectory } from '../adapters/redis/account-directory.js';
import { RedisKeys } from '../adapters/redis/keys.js';
import { ManualClock } from '../core/clock.js';
import { DocumentCipher, DocumentDecryptionError } from './documents.js';

const key = Buffer.alloc(32, 1);
const cipher = new DocumentCipher(key);

/** Flips one bit of the n-th dot-separated part, keeping the format valid. */
function tamper(stored: string, part: number): string {
  const parts = stored.split('.');
  const bytes = Buffer.from(parts[part] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('DocumentCipher encryption', () => {
  it('decrypts what it encrypted, in the versioned compact form', () => {
    const stored = cipher.encrypt(' E1234 5678 ');
    expect(stored).toMatch(/^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(stored).not.toContain('E1234');
    expect(cipher.decrypt(stored)).toBe('E1234 5678');
  });

  it('uses a fresh IV for every encryption', () => {
    const first = cipher.encrypt('E12345678');
    const second = cipher.encrypt('E12345678');
    expect(first).not.toBe(second);
    expect(first.split('.')[1]).not.toBe(second.split('.')[1]);
  });

  it('detects a changed IV, ciphertext or tag', () => {
    const stored = cipher.encrypt('E12345678');
    for (const part of [1, 2, 3]) {
      expect(() => cipher.decrypt(tamper(stored, part))).toThrow(DocumentDecryptionError);
    }
  });

  it('refuses text encrypted under another key', () => {
    const other = new DocumentCipher(Buffer.alloc(32, 2));
    expect(() => other.decrypt(cipher.encrypt('E12345678'))).toThrow(/another key/);
  });

  it('refuses malformed or unknown-version values with a clear error', () => {
    const stored = cipher.encrypt('E12345678');
    for (const bad of ['', 'E12345678', stored.replace(/^v1/, 'v9'), `${stored}.x`, stored.slice(0, -3)]) {
      expect(() => cipher.decrypt(bad)).toThrow(DocumentDecryptionError);
    }
  });

  it('refuses a key that is not 32 bytes and an empty number', () => {
    expect(() => new DocumentCipher(Buffer.alloc(16))).toThrow(RangeError);
    expect(() => cipher.encrypt('   ')).toThrow(RangeError);
    expect(() => cipher.hash(' - ')).toThrow(RangeError);
  });
});

describe('DocumentCipher hash', () => {
  it('is the same for every way of typing one number', () => {
    const expected = cipher.hash('E12345678');
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
    for (const typed of ['e12345678', 'E12-345-678', ' e 1234 5678 ', 'E12\u00a0345678']) {
      expect(cipher.hash(typed)).toBe(expected);
    }
  });

  it('differs between numbers and between keys', () => {
    expect(cipher.hash('E12345678')).not.toBe(cipher.hash('E12345679'));
    expect(new DocumentCipher(Buffer.alloc(32, 2)).hash('E12345678')).not.toBe(cipher.hash('E12345678'));
  });

  it('is keyed: not a plain SHA-256 of the number', async () => {
    const { createHash } = await import('node:crypto');
    expect(cipher.hash('E12345678')).not.toBe(createHash('sha256').update('E12345678').digest('hex'));
  });
});

describe('document number helpers', () => {
  it('hashes the same document alike however it is typed (the normalisation of validation.ts)', () => {
    expect(cipher.hash(' ab-12 34\t5 ')).toBe(cipher.hash('AB12345'));
    expect(cipher.hash('ａｂ１２３４５')).toBe(cipher.hash('AB12345'));
  });

  it('gives the three stored forms at once', () => {
    const protectedForms = cipher.protect('e12-345 678');
    expect(cipher.decrypt(protectedForms.documentNumberEncrypted)).toBe('e12-345 678');
    expect(protectedForms.documentHash).toBe(cipher.hash('E12345678'));
    expect(protectedForms.documentNumberMasked).toBe('E1****78');
  });
});

describe('document numbers in Redis', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectShared();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('are nowhere in clear after a submission and its review', async () => {
    const prefix = uniquePrefix('doc');
    const directory = new RedisAccountDirectory(redis, new RedisKeys(prefix), new ManualClock());
    const { accountId } = await directory.create({ loginEmail: 'kim@example.com', accountName: 'Kim' });
    const number = 'G98765432';
    const submitted = await directory.submit(accountId, {
      kind: 'individual',
      documentType: 'passport',
      name: 'Kim Lee',
      region: 'KR',
      ...cipher.protect('g9876-5432'),
    });
    expect(submitted.outcome).toBe('submitted');
    if (submitted.outcome === 'submitted') {
      await directory.decide(submitted.submission.id, {
        decision: 'approved',
        reviewer: 'support:T1:U1',
        at: 1,
      });
    }

    const texts: string[] = [];
    for (const found of await keysUnder(redis, prefix)) {
      texts.push(found);
      const type = await redis.type(found);
      if (type === 'string') texts.push((await redis.get(found)) ?? '');
      else if (type === 'hash') texts.push(...Object.entries(await redis.hgetall(found)).flat());
      else if (type === 'zset') texts.push(...(await redis.zrange(found, 0, '-1')));
      else if (type === 'set') texts.push(...(await redis.smembers(found)));
      else if (type === 'list') texts.push(...(await redis.lrange(found, 0, -1)));
      else throw new Error(`unexpected key type ${type} at ${found}`);
    }
    expect(texts.join('\n')).toContain(cipher.hash(number));
    for (const clear of [number, 'g9876-5432', '98765432', '9876-5432']) {
      expect(texts.join('\n').toUpperCase()).not.toContain(clear.toUpperCase());
    }
  });
});
