import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAccountDirectory } from '../../src/adapters/redis/account-directory.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { ManualClock } from '../../src/core/clock.js';
import { roundTripCounter } from '../support/redis-round-trips.js';
import { connectShared, uniquePrefix } from '../support/redis.js';

const ACCOUNTS = 250;

describe('listing every account on Redis (npm run accounts -- export)', () => {
  let redis: Redis;
  let directory: RedisAccountDirectory;

  beforeAll(async () => {
    redis = await connectShared();
    directory = new RedisAccountDirectory(redis, new RedisKeys(uniquePrefix('list')), new ManualClock());
    for (let index = 0; index < ACCOUNTS; index++) {
      await directory.create({ loginEmail: `list${index}@example.com`, accountName: `List ${index}` });
    }
  });

  afterAll(async () => {
    await redis.quit();
  });

  it('reads the accounts in slices, a few round trips instead of one per account, in id order', async () => {
    const trips = roundTripCounter(redis);
    const listed = await trips.during(() => directory.listAccounts());
    // One for the id counter, then one per slice of 100.
    expect(trips.count()).toBeLessThanOrEqual(4);
    expect(listed.map((account) => account.loginEmail)).toEqual(
      Array.from({ length: ACCOUNTS }, (_, index) => `list${index}@example.com`),
    );
    const one = await directory.getById(listed[7]?.accountId ?? '');
    expect(listed[7]).toEqual(one);
  });
});
