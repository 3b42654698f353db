import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDedupe } from '../../src/adapters/memory/dedupe.js';
import { RedisDedupe } from '../../src/adapters/redis/dedupe.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { ManualClock } from '../../src/core/clock.js';
import { CorruptRecordError } from '../../src/core/errors.js';
import { connectShared, keysUnder, uniquePrefix } from '../support/redis.js';
import { describeDedupeContract } from './dedupe.contract.js';

describeDedupeContract('memory', async () => {
  const clock = new ManualClock();
  return { dedupe: new MemoryDedupe(clock), clock };
});

let redis: Redis;
beforeAll(async () => {
  redis = await connectShared();
});
afterAll(async () => {
  await redis.quit();
});

describeDedupeContract('redis', async () => {
  const clock = new ManualClock();
  return { dedupe: new RedisDedupe(redis, new RedisKeys(uniquePrefix('dd')), clock), clock };
});

describe('RedisDedupe storage', () => {
  it('gives every claim key the claim lifetime as its TTL', async () => {
    const prefix = uniquePrefix('dd');
    const clock = new ManualClock();
    const dedupe = new RedisDedupe(redis, new RedisKeys(prefix), clock);
    await dedupe.claim('slack:event:Ev9', 300_000);
    await dedupe.claim('job:7', 5_000);
    clock.advance(5_000);
    // Logically over, so taken again: the TTL starts afresh.
    await dedupe.claim('job:7', 5_000);

    const keys = (await keysUnder(redis, prefix)).sort();
    expect(keys).toEqual([`${prefix}:dedupe:{job:7}`, `${prefix}:dedupe:{slack:event:Ev9}`]);
    const [jobTtl, eventTtl] = await Promise.all(keys.map((key) => redis.pttl(key)));
    expect(jobTtl).toBeGreaterThan(4_000);
    expect(jobTtl).toBeLessThanOrEqual(5_000);
    expect(eventTtl).toBeGreaterThan(299_000);
    expect(eventTtl).toBeLessThanOrEqual(300_000);
  });

  it('reports a damaged claim as corrupt', async () => {
    const prefix = uniquePrefix('dd');
    const dedupe = new RedisDedupe(redis, new RedisKeys(prefix), new ManualClock());
    await redis.set(`${prefix}:dedupe:{job:8}`, 'not a time', 'PX', 60_000);
    await expect(dedupe.claim('job:8', 60_000)).rejects.toThrow(CorruptRecordError);
  });
});
