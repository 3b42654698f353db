import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { CorruptRecordError } from '../../src/core/errors.js';
import { MemoryReviewCards } from '../../src/adapters/memory/review-cards.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { RedisReviewCards } from '../../src/adapters/redis/review-cards.js';
import { POSTING_CLAIM_MS, REVIEW_CARD_TTL_MS } from '../../src/ports/review-cards.js';
import { connectShared, keysUnder, uniquePrefix } from '../support/redis.js';
import { describeReviewCardsContract, sampleCard } from './review-cards.contract.js';

describeReviewCardsContract('memory', async () => new MemoryReviewCards(new ManualClock()));

let redis: Redis;
beforeAll(async () => {
  redis = await connectShared();
});
afterAll(async () => {
  await redis.quit();
});

describeReviewCardsContract(
  'redis',
  async () => new RedisReviewCards(redis, new RedisKeys(uniquePrefix('rc'))),
);

describe('review card lifetime and storage', () => {
  it('keeps a card under the account hash tag with the card lifetime as TTL', async () => {
    const prefix = uniquePrefix('rc');
    await new RedisReviewCards(redis, new RedisKeys(prefix)).save(sampleCard());
    const keys = await keysUnder(redis, prefix);
    expect(keys).toEqual([`${prefix}:{acct:1000001}:review-card:1000001-0123456789abcdef`]);
    const ttl = await redis.pttl(keys[0] ?? '');
    expect(ttl).toBeGreaterThan(REVIEW_CARD_TTL_MS - 5_000);
    expect(ttl).toBeLessThanOrEqual(REVIEW_CARD_TTL_MS);
  });

  it('reports a stored card that does not parse instead of using it', async () => {
    const prefix = uniquePrefix('rc');
    await redis.set(
      `${prefix}:{acct:1000001}:review-card:1000001-0123456789abcdef`,
      '{"owner":1}',
      'PX',
      60_000,
    );
    await expect(
      new RedisReviewCards(redis, new RedisKeys(prefix)).find('1000001', '1000001-0123456789abcdef'),
    ).rejects.toThrow(CorruptRecordError);
  });

  it('gives the posting claim a short TTL so a crashed poster does not block the card', async () => {
    const prefix = uniquePrefix('rc');
    await new RedisReviewCards(redis, new RedisKeys(prefix)).claimPosting(
      '1000001',
      '1000001-0123456789abcdef',
    );
    const [key] = await keysUnder(redis, prefix);
    const ttl = await redis.pttl(key ?? '');
    expect(ttl).toBeGreaterThan(POSTING_CLAIM_MS - 5_000);
    expect(ttl).toBeLessThanOrEqual(POSTING_CLAIM_MS);
  });

  it('lets an in-process posting claim lapse', async () => {
    const clock = new ManualClock();
    const cards = new MemoryReviewCards(clock);
    expect(await cards.claimPosting('1000001', '1000001-0123456789abcdef')).toBe(true);
    clock.advance(POSTING_CLAIM_MS);
    expect(await cards.claimPosting('1000001', '1000001-0123456789abcdef')).toBe(true);
  });

  it('forgets an in-process card when its lifetime has passed', async () => {
    const clock = new ManualClock();
    const cards = new MemoryReviewCards(clock, 1_000);
    await cards.save(sampleCard());
    clock.advance(1_000);
    expect(await cards.find('1000001', '1000001-0123456789abcdef')).toBeNull();
  });
});
