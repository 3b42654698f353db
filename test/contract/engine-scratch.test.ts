import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryEngineScratch } from '../../src/adapters/memory/engine-scratch.js';
import { RedisEngineScratch } from '../../src/adapters/redis/engine-scratch.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { ManualClock } from '../../src/core/clock.js';
import { CorruptRecordError } from '../../src/core/errors.js';
import { connectShared, keysUnder, uniquePrefix } from '../support/redis.js';
import { describeEngineScratchContract } from './engine-scratch.contract.js';

describeEngineScratchContract('memory', async () => {
  const clock = new ManualClock();
  return { scratch: new MemoryEngineScratch(clock), clock };
});

let redis: Redis;
beforeAll(async () => {
  redis = await connectShared();
});
afterAll(async () => {
  await redis.quit();
});

describeEngineScratchContract('redis', async () => {
  const clock = new ManualClock();
  return { scratch: new RedisEngineScratch(redis, new RedisKeys(uniquePrefix('es')), clock), clock };
});

describe('RedisEngineScratch storage', () => {
  it('gives every entry its lifetime as TTL under the owner hash tag', async () => {
    const prefix = uniquePrefix('es');
    const scratch = new RedisEngineScratch(redis, new RedisKeys(prefix), new ManualClock());
    await scratch.put('acct:7', 'privileged', '1', 60_000);
    const keys = await keysUnder(redis, prefix);
    expect(keys).toEqual([`${prefix}:{acct:7}:scratch:privileged`]);
    const ttl = await redis.pttl(keys[0] ?? '');
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('reports a damaged entry as corrupt', async () => {
    const prefix = uniquePrefix('es');
    const scratch = new RedisEngineScratch(redis, new RedisKeys(prefix), new ManualClock());
    await redis.set(`${prefix}:{acct:8}:scratch:x`, 'junk', 'PX', 60_000);
    await expect(scratch.get('acct:8', 'x')).rejects.toThrow(CorruptRecordError);
  });
});
