import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryFlowSessionStore } from '../../src/adapters/memory/flow-session-store.js';
import { createFailFastRedis } from '../../src/adapters/redis/connection.js';
import { RedisFlowSessionStore } from '../../src/adapters/redis/flow-session-store.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { ManualClock } from '../../src/core/clock.js';
import { TemporarilyUnavailableError } from '../../src/core/errors.js';
import { FLOW_EXPIRED_GRACE_MS } from '../../src/ports/flow-session-store.js';
import { freePort } from '../support/redis-server.js';
import { connectShared, keysUnder, uniquePrefix } from '../support/redis.js';
import { CONTRACT_IDLE_MS, describeFlowSessionStoreContract } from './flow-session-store.contract.js';

const timing = { idleTimeoutMs: CONTRACT_IDLE_MS };

describeFlowSessionStoreContract('memory', async () => {
  const clock = new ManualClock();
  return { store: new MemoryFlowSessionStore(clock, timing), clock };
});

describe('RedisFlowSessionStore', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const owner = 'slack:T1:U1';
  const init = { machineId: 'm', version: 1, snapshot: { value: 'start' } };

  beforeAll(async () => {
    redis = await connectShared();
  });

  afterAll(async () => {
    await redis.quit();
  });

  const redisFixture = () => {
    const prefix = uniquePrefix('fs');
    prefixes.push(prefix);
    const clock = new ManualClock();
    const keys = new RedisKeys(prefix);
    return { store: new RedisFlowSessionStore(redis, keys, clock, timing), clock, prefix, keys };
  };

  describeFlowSessionStoreContract('redis', async () => redisFixture());

  it('keeps the flow and its pointer in the owner’s slot for idle + grace', async () => {
    const { store, prefix, keys } = redisFixture();
    await store.create(owner, 'f1', init);
    expect((await keysUnder(redis, prefix)).sort()).toEqual(
      [keys.tagged(owner, 'flow', 'f1'), keys.tagged(owner, 'flow-active')].sort(),
    );
    const slots = new Set(
      (await keysUnder(redis, prefix)).map((key) => /\{([^}]+)\}/.exec(key)?.[1] ?? 'untagged'),
    );
    expect(slots).toEqual(new Set([owner]));
    for (const key of await keysUnder(redis, prefix)) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(CONTRACT_IDLE_MS + FLOW_EXPIRED_GRACE_MS - 5_000);
      expect(ttl).toBeLessThanOrEqual(CONTRACT_IDLE_MS + FLOW_EXPIRED_GRACE_MS);
    }
  });

  it('answers corrupt for a damaged record instead of throwing', async () => {
    const { store, keys } = redisFixture();
    await store.create(owner, 'f1', init);
    const flowKey = keys.tagged(owner, 'flow', 'f1');

    await redis.hset(flowKey, 'snapshot', '{"value":');
    expect(await store.get(owner, 'f1')).toEqual({ status: 'corrupt', detail: 'snapshot is not JSON' });

    await redis.hset(flowKey, 'rev', 'many');
    expect(await store.get(owner, 'f1')).toEqual({ status: 'corrupt', detail: 'unreadable fields: rev' });
    expect(await store.compareAndSet(owner, 'f1', 1, { snapshot: {} })).toEqual({
      status: 'corrupt',
      detail: 'flow rev or updatedAt is not a number',
    });

    await redis.del(flowKey);
    await redis.set(flowKey, 'junk', 'PX', 60_000);
    expect(await store.get(owner, 'f1')).toEqual({ status: 'corrupt', detail: 'flow record is not a hash' });
    expect(await store.compareAndSet(owner, 'f1', 1, { snapshot: {} })).toEqual({
      status: 'corrupt',
      detail: 'flow record is a string',
    });
    expect(await redis.get(flowKey)).toBe('junk');

    await store.end(owner, 'f1');
    expect(await store.get(owner, 'f1')).toEqual({ status: 'missing' });
    expect(await store.active(owner)).toBeNull();
  });

  it('treats a damaged active pointer as no active flow and replaces it on create', async () => {
    const { store, keys } = redisFixture();
    await redis.set(keys.tagged(owner, 'flow-active'), 'junk', 'PX', 60_000);
    expect(await store.active(owner)).toBeNull();
    expect((await store.create(owner, 'f1', init)).status).toBe('created');
    expect(await store.active(owner)).toBe('f1');
  });

  it('fails closed with TemporarilyUnavailableError when Redis is unreachable', async () => {
    const down = createFailFastRedis(`redis://127.0.0.1:${await freePort()}`, { retryStrategy: () => null });
    const clock = new ManualClock();
    const store = new RedisFlowSessionStore(down, new RedisKeys(uniquePrefix('fs')), clock, timing);
    try {
      await expect(store.get(owner, 'f1')).rejects.toThrow(TemporarilyUnavailableError);
      await expect(store.create(owner, 'f1', init)).rejects.toThrow(TemporarilyUnavailableError);
      await expect(store.active(owner)).rejects.toThrow(TemporarilyUnavailableError);
    } finally {
      down.disconnect();
    }
  });

  it('leaves no key without a TTL after all of the above', async () => {
    const keys = (await Promise.all(prefixes.map((prefix) => keysUnder(redis, prefix)))).flat();
    expect(keys.length).toBeGreaterThan(10);
    const ttls = await Promise.all(keys.map(async (key) => [key, await redis.pttl(key)] as const));
    expect(ttls.filter(([, ttl]) => ttl <= 0)).toEqual([]);
  });
});
