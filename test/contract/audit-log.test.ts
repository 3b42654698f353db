import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/adapters/memory/audit-log.js';
import { RedisAuditLog } from '../../src/adapters/redis/audit-log.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { ManualClock } from '../../src/core/clock.js';
import { CorruptRecordError } from '../../src/core/errors.js';
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

  it('reports an unreadable entry as corrupt', async () => {
    const prefix = uniquePrefix('au');
    const audit = new RedisAuditLog(redis, new RedisKeys(prefix), new ManualClock(), { maxLength: 10 });
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
    await expect(audit.recent(5)).rejects.toThrow(CorruptRecordError);
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
    await expect(audit.recent(1)).rejects.toThrow(CorruptRecordError);
  });
});
