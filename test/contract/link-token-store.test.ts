import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLinkTokenStore } from '../../src/adapters/memory/link-token-store.js';
import { createFailFastRedis } from '../../src/adapters/redis/connection.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { RedisLinkTokenStore } from '../../src/adapters/redis/link-token-store.js';
import { ManualClock } from '../../src/core/clock.js';
import { CorruptRecordError, TemporarilyUnavailableError } from '../../src/core/errors.js';
import { LINK_RECORD_GRACE_MS } from '../../src/ports/link-token-store.js';
import { digestLinkToken, LinkTokens } from '../../src/services/link-tokens.js';
import { freePort } from '../support/redis-server.js';
import { connectShared, keysUnder, uniquePrefix } from '../support/redis.js';
import { describeLinkTokenStoreContract } from './link-token-store.contract.js';

describeLinkTokenStoreContract('memory', async () => {
  const clock = new ManualClock();
  return { store: new MemoryLinkTokenStore(clock), clock };
});

describe('RedisLinkTokenStore', () => {
  let redis: Redis;
  const prefixes: string[] = [];

  beforeAll(async () => {
    redis = await connectShared();
  });

  afterAll(async () => {
    await redis.quit();
  });

  const redisFixture = (prefix = uniquePrefix('lt')) => {
    prefixes.push(prefix);
    const clock = new ManualClock();
    return { store: new RedisLinkTokenStore(redis, new RedisKeys(prefix), clock), clock, prefix };
  };

  describeLinkTokenStoreContract('redis', async () => redisFixture());

  const service = (store: RedisLinkTokenStore, clock: ManualClock) =>
    new LinkTokens({
      store,
      clock,
      lifetimes: { resetTtlMs: 48 * 3_600_000, passwordChangeTtlMs: 600_000 },
      currentCredentialVersion: async () => 1,
    });

  it('stores only digests: no raw token in any key name or value', async () => {
    const { store, clock, prefix } = redisFixture();
    const links = service(store, clock);
    const tokens = [
      await links.mint({ accountId: '1001', kind: 'reset', credentialVersion: 1 }),
      await links.mint({ accountId: '1001', kind: 'password-change', credentialVersion: 1, flowId: 'f1' }),
      await links.mint({ accountId: '1002', kind: 'reset', credentialVersion: 1 }),
    ];
    expect((await links.consume(tokens[0] ?? '')).ok).toBe(true);
    const keys = await keysUnder(redis, prefix);
    expect(keys).toHaveLength(5);
    const stored = JSON.stringify(
      await Promise.all(keys.map(async (key) => [key, await redis.hgetall(key)] as const)),
    );
    expect(stored).toContain(digestLinkToken(tokens[1] ?? ''));
    for (const token of tokens) expect(stored).not.toContain(token);
  });

  it('keeps a token record until its expiry plus the grace, and the account standing until expiry', async () => {
    const { store, clock, prefix } = redisFixture();
    await service(store, clock).mint({ accountId: '1001', kind: 'reset', credentialVersion: 1 });
    const keys = new RedisKeys(prefix);
    const [tokenKey] = (await keysUnder(redis, prefix)).filter((key) => key.includes(':lt:'));
    const tokenTtl = await redis.pttl(tokenKey ?? '');
    const standingTtl = await redis.pttl(keys.account('1001', 'links'));
    expect(tokenTtl).toBeGreaterThan(48 * 3_600_000 + LINK_RECORD_GRACE_MS - 5_000);
    expect(tokenTtl).toBeLessThanOrEqual(48 * 3_600_000 + LINK_RECORD_GRACE_MS);
    expect(standingTtl).toBeGreaterThan(48 * 3_600_000 - 5_000);
    expect(standingTtl).toBeLessThanOrEqual(48 * 3_600_000);
  });

  it('reports a damaged record as CorruptRecordError instead of judging it', async () => {
    const { store, clock, prefix } = redisFixture();
    const links = service(store, clock);
    const token = await links.mint({ accountId: '1001', kind: 'reset', credentialVersion: 1 });
    const tokenKey = new RedisKeys(prefix).global('lt', digestLinkToken(token));
    await redis.hset(tokenKey, 'record', '{"accountId":');
    await expect(links.peek(token)).rejects.toThrow(CorruptRecordError);
    await redis.del(tokenKey);
    await redis.set(tokenKey, 'junk', 'PX', 60_000);
    await expect(links.consume(token)).rejects.toThrow(CorruptRecordError);
  });

  it('fails closed with TemporarilyUnavailableError when Redis is unreachable', async () => {
    const down = createFailFastRedis(`redis://127.0.0.1:${await freePort()}`, { retryStrategy: () => null });
    const clock = new ManualClock();
    const links = service(new RedisLinkTokenStore(down, new RedisKeys(uniquePrefix('lt')), clock), clock);
    try {
      await expect(links.mint({ accountId: '1001', kind: 'reset', credentialVersion: 1 })).rejects.toThrow(
        TemporarilyUnavailableError,
      );
      await expect(links.consume(Buffer.alloc(32).toString('base64url'))).rejects.toThrow(
        TemporarilyUnavailableError,
      );
    } finally {
      down.disconnect();
    }
  });

  it('leaves no key without a TTL after all of the above', async () => {
    const keys = (await Promise.all(prefixes.map((prefix) => keysUnder(redis, prefix)))).flat();
    expect(keys.length).toBeGreaterThan(20);
    const ttls = await Promise.all(keys.map(async (key) => [key, await redis.pttl(key)] as const));
    expect(ttls.filter(([, ttl]) => ttl <= 0)).toEqual([]);
  });
});
