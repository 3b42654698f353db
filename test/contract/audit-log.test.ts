import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/adapters/memory/audit-log.js';
import { RedisAuditLog } from '../../src/adapters/redis/audit-log.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { ManualClock } from '../../src/core/clock.js';
import { connectShared, keysUnder, uniquePrefix } from '../support/redis.js';
import { describeAuditLogContract } from './audit-log.contract.js';

describeAuditLogContract('memory', async (options) => {
  const clock = new ManualClock();
  return { audit: new MemoryAuditLog(clock, options), clock };
});

let redis: Redis;
beforeAll(async () => {
  redis = await connectShared();
});
afterAll(async () => {
  await redis.quit();
});

describeAuditLogContract('redis', async (options) => {
  const clock = new ManualClock();
  return { audit: new RedisAuditLog(redis, new RedisKeys(uniquePrefix('au')), clock, options), clock };
});

describe('RedisAuditLog storage', () => {
  const event = { actor: 'system', action: 'reminder.sent', outcome: 'info' } as const;

  it('is one capped stream without a TTL', async () => {
    const prefix = uniquePrefix('au');
    const audit = new RedisAuditLog(redis, new RedisKeys(prefix), new ManualClock(), { maxLength: 10 });
    for (let index = 0; index < 600; index += 1) await audit.record(event);

    expect(await keysUnder(redis, prefix)).toEqual([`${prefix}:{audit}`]);
    expect(await redis.type(`${prefix}:{audit}`)).toBe('stream');
    expect(await redis.pttl(`${prefix}:{audit}`)).toBe(-1);
    // MAXLEN ~ trims whole stream nodes (100 entries each by default), never below the cap.
    const length = await redis.xlen(`${prefix}:{audit}`);
    expect(length).toBeGreaterThanOrEqual(10);
    expect(length).toBeLessThanOrEqual(110);
    expect(await audit.recent(1_000)).toHaveLength(10);
  });

  it('skips an unreadable entry and reports it, so the others stay readable', async () => {
    const prefix = uniquePrefix('au');
    const corrupt: string[] = [];
    const audit = new RedisAuditLog(redis, new RedisKeys(prefix), new ManualClock(), {
      maxLength: 10,
      onCorrupt: (entryId) => corrupt.push(entryId),
    });
    await audit.record(event);
    await redis.xadd(
      `${prefix}:{audit}`,
      '*',
      'actor',
      'system',
      'action',
      'x',
      'outcome',
      'maybe',
      'at',
      '1',
    );
    expect(await audit.recent(5)).toHaveLength(1);
    expect(corrupt).toHaveLength(1);
    await redis.xadd(
      `${prefix}:{audit}`,
      '*',
      'actor',
      'system',
      'action',
      'x',
      'outcome',
      'info',
      'detail',
      '{',
      'at',
      '1',
    );
    expect(await audit.recent(5)).toHaveLength(1);
    expect(corrupt).toHaveLength(3);
  });

  it("keeps each account's stream in the account's slot, expiring after its latest event", async () => {
    const prefix = uniquePrefix('au');
    const audit = new RedisAuditLog(redis, new RedisKeys(prefix), new ManualClock(), {
      maxLength: 10,
      accountTtlMs: 3_600_000,
    });
    await audit.record({ ...event, accountId: '1001' });
    const key = `${prefix}:{acct:1001}:audit`;
    expect(await redis.type(key)).toBe('stream');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
    expect(await redis.pttl(`${prefix}:{audit}`)).toBe(-1);
  });
});

describe('MemoryAuditLog account streams', () => {
  it("forget an account's events once its latest one is older than the TTL", async () => {
    const clock = new ManualClock();
    const audit = new MemoryAuditLog(clock, { maxLength: 10, accountTtlMs: 60_000 });
    await audit.record({ actor: 'system', accountId: '1001', action: 'x.one', outcome: 'info' });
    clock.advance(59_999);
    expect(await audit.forAccount('1001', 5)).toHaveLength(1);
    clock.advance(1);
    expect(await audit.forAccount('1001', 5)).toEqual([]);
  });
});
