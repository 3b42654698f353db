import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/adapters/memory/rate-limiter.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { RedisRateLimiter } from '../../src/adapters/redis/rate-limiter.js';
import { ManualClock } from '../../src/core/clock.js';
import { CorruptRecordError } from '../../src/core/errors.js';
import { connectShared, keysUnder, uniquePrefix } from '../support/redis.js';
import { describeRateLimiterContract } from './rate-limiter.contract.js';

describeRateLimiterContract('memory', async () => {
  const clock = new ManualClock();
  return { limiter: new MemoryRateLimiter(clock), clock };
});

let redis: Redis;
beforeAll(async () => {
  redis = await connectShared();
});
afterAll(async () => {
  await redis.quit();
});

describeRateLimiterContract('redis', async () => {
  const clock = new ManualClock();
  return { limiter: new RedisRateLimiter(redis, new RedisKeys(uniquePrefix('rl')), clock), clock };
});

describe('RedisRateLimiter storage', () => {
  const subject = { tag: 'acct:2001', name: 'wrong-password' };

  it('gives every key a TTL equal to what is left of its logical lifetime', async () => {
    const prefix = uniquePrefix('rl');
    const clock = new ManualClock();
    const limiter = new RedisRateLimiter(redis, new RedisKeys(prefix), clock);
    await limiter.hit(subject, { limit: 5, windowMs: 60_000, mode: 'fixed' });
    await limiter.hit(subject, { limit: 5, windowMs: 30_000, mode: 'sliding' });
    clock.advance(20_000);
    await limiter.hit(subject, { limit: 5, windowMs: 60_000, mode: 'fixed' });
    await limiter.hit(subject, { limit: 5, windowMs: 30_000, mode: 'sliding' });

    const keys = await keysUnder(redis, prefix);
    expect(keys.sort()).toEqual([
      `${prefix}:{acct:2001}:rl:wrong-password:fixed`,
      `${prefix}:{acct:2001}:rl:wrong-password:sliding`,
    ]);
    const [fixedTtl, slidingTtl] = await Promise.all(keys.map((key) => redis.pttl(key)));
    // Fixed: the window opened 20 s ago. Sliding: the newest hit counts for another 30 s.
    expect(fixedTtl).toBeGreaterThan(39_000);
    expect(fixedTtl).toBeLessThanOrEqual(40_000);
    expect(slidingTtl).toBeGreaterThan(29_000);
    expect(slidingTtl).toBeLessThanOrEqual(30_000);
  });

  it('keeps at most `limit` members in the sliding set, refused hits included', async () => {
    const prefix = uniquePrefix('rl');
    const limiter = new RedisRateLimiter(redis, new RedisKeys(prefix), new ManualClock());
    const rule = { limit: 4, windowMs: 60_000, mode: 'sliding' } as const;
    await Promise.all(Array.from({ length: 25 }, () => limiter.hit(subject, rule)));
    expect(await redis.zcard(`${prefix}:{acct:2001}:rl:wrong-password:sliding`)).toBe(4);
  });

  it('reports a damaged counter as corrupt instead of allowing', async () => {
    const prefix = uniquePrefix('rl');
    const limiter = new RedisRateLimiter(redis, new RedisKeys(prefix), new ManualClock());
    const fixedKey = `${prefix}:{acct:2001}:rl:wrong-password:fixed`;
    await redis.hset(fixedKey, 'start', 'yesterday', 'count', '1');
    await redis.pexpire(fixedKey, 60_000);
    await expect(limiter.hit(subject, { limit: 5, windowMs: 60_000, mode: 'fixed' })).rejects.toThrow(
      CorruptRecordError,
    );
    await redis.set(`${prefix}:{acct:2001}:rl:wrong-password:sliding`, 'x', 'PX', 60_000);
    await expect(limiter.peek(subject, { limit: 5, windowMs: 60_000, mode: 'sliding' })).rejects.toThrow(
      CorruptRecordError,
    );
  });
});
