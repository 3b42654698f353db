import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives SPEC §4 defaults and says which keys it generated', () => {
    const result = loadConfig({});
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.codes).toEqual({
      ttlMs: 600_000,
      maxAttempts: 5,
      resendCooldownMs: 60_000,
      sendsPerHour: 5,
      failuresPerHour: 10,
      lockMs: 900_000,
    });
    expect(result.config.links).toEqual({
      resetTtlMs: 172_800_000,
      passwordChangeTtlMs: 600_000,
      resetEmailsPerHour: 3,
    });
    expect(result.config.passwords.bcryptCost).toBe(12);
    expect(result.config.passwords.policy).toBe('seed');
    expect(result.config.flows).toEqual({ privilegedWindowMs: 300_000, idleTimeoutMs: 1_800_000 });
    expect(result.config.keys.codeHmacKey).toHaveLength(32);
    expect(result.notices.some((line) => line.startsWith('CODE_HMAC_KEY is not set'))).toBe(true);
    expect(result.notices.some((line) => line.startsWith('REDIS_URL is not set'))).toBe(true);
  });

  it('names every bad variable on its own line with what it expects', () => {
    const result = loadConfig({
      CODE_TTL_SECONDS: 'ten',
      BCRYPT_COST: '99',
      PASSWORD_POLICY: 'strong',
      REDIS_URL: 'http://localhost',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(4);
    expect(result.problems).toContain('BCRYPT_COST: invalid; expected at most 15');
    expect(result.problems).toContain('PASSWORD_POLICY: invalid; expected seed or nist');
    expect(result.problems.find((line) => line.startsWith('CODE_TTL_SECONDS:'))).toMatch(
      /whole number of seconds/,
    );
    expect(result.problems.find((line) => line.startsWith('REDIS_URL:'))).toMatch(/redis:\/\//);
  });

  it('requires keys and Redis in production and never generates them there', () => {
    const result = loadConfig({ NODE_ENV: 'production' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((line) => line.split(':')[0])).toEqual([
      'CODE_HMAC_KEY',
      'DOCUMENT_ENCRYPTION_KEY',
      'REDIS_URL',
    ]);
  });

  it('accepts keys given as base64 and checks their length', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const good = loadConfig({
      NODE_ENV: 'production',
      REDIS_URL: 'redis://r:6379',
      CODE_HMAC_KEY: key,
      DOCUMENT_ENCRYPTION_KEY: key,
    });
    expect(good.ok).toBe(true);
    const short = loadConfig({ DOCUMENT_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') });
    expect(short.ok ? [] : short.problems).toEqual([
      'DOCUMENT_ENCRYPTION_KEY: invalid; expected exactly 32 bytes',
    ]);
  });
});
