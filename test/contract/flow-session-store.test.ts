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
    const { store, prefix, keys, clock } = redisFixture();
    await store.create(owner, 'f1', init);
    expect((await keysUnder(redis, prefix)).sort()).toEqual(
      [keys.tagged(owner, 'flow', 'f1'), keys.tagged(owner, 'flow-active')].sort(),
    );
    const slots = new Set(
      (await keysUnder(redis, prefix)).map((key) => /\{([^}]+)\}/.exec(key)?.[1] ?? 'untagged'),
    );
    expect(slots).toEqual(new Set([owner]));
    // The pointer says when the flow was written, so scripts need no key they were not given.
    expect(await redis.get(keys.tagged(owner, 'flow-active'))).toBe(`${clock.now()}|f1`);
    for (const key of await keysUnder(redis, prefix)) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(CONTRACT_IDLE_MS + FLOW_EXPIRED_GRACE_MS - 5_000);
      expect(ttl).toBeLessThanOrEqual(CONTRACT_IDLE_MS + FLOW_EXPIRED_GRACE_MS);
    }
  });

  it('answers corrupt for a damaged record instead of throwing', async () => {
    const { store, keys, clock } = redisFixture();
    await store.create(owner, 'f1', init);
    const flowKey = keys.tagged(owner, 'flow', 'f1');

    await redis.set(flowKey, `1|${clock.now()}|1|m|{"value":`, 'PX', 60_000);
    expect(await store.get(owner, 'f1')).toEqual({ status: 'corrupt', detail: 'snapshot is not JSON' });

    await redis.set(flowKey, `many|${clock.now()}|1|m|{}`, 'PX', 60_000);
    expect(await store.get(owner, 'f1')).toEqual({ status: 'corrupt', detail: 'unreadable fields: rev' });
    expect(await store.compareAndSet(owner, 'f1', 1, { snapshot: {} })).toEqual({
      status: 'corrupt',
      detail: 'flow rev or updatedAt is not a number',
    });

    await redis.set(flowKey, 'junk', 'PX', 60_000);
    const headless = { status: 'corrupt', detail: 'flow record has no header' };
    expect(await store.get(owner, 'f1')).toEqual(headless);
    expect(await store.compareAndSet(owner, 'f1', 1, { snapshot: {} })).toEqual(headless);
    expect(await redis.get(flowKey)).toBe('junk');

    await redis.del(flowKey);
    await redis.rpush(flowKey, 'junk');
    await redis.pexpire(flowKey, 60_000);
    expect(await store.get(owner, 'f1')).toEqual({
      status: 'corrupt',
      detail: 'flow record is neither a string nor a hash',
    });
    expect(await store.compareAndSet(owner, 'f1', 1, { snapshot: {} })).toEqual({
      status: 'corrupt',
      detail: 'flow record is a list',
    });

    await store.end(owner, 'f1');
    expect(await store.get(owner, 'f1')).toEqual({ status: 'missing' });
    expect(await store.active(owner)).toBeNull();
  });

  it('keeps each flow as one string, a fraction of the hash it was before', async () => {
    const { store, keys, clock } = redisFixture();
    const snapshot = {
      v: 'enterCode',
      c: { seenAt: clock.now(), notice: 'code.wrong', pad: 'x'.repeat(400) },
    };
    await store.create(owner, 'f1', { machineId: 'changeContactMobile', version: 3, snapshot });
    const flowKey = keys.tagged(owner, 'flow', 'f1');
    expect(await redis.type(flowKey)).toBe('string');
    expect(await redis.type(keys.tagged(owner, 'flow-active'))).toBe('string');
    const asHash = keys.tagged(owner, 'flow', 'f0');
    await redis.hset(asHash, {
      machineId: 'changeContactMobile',
      version: '3',
      rev: '1',
      snapshot: JSON.stringify(snapshot),
      owner,
      updatedAt: String(clock.now()),
    });
    await redis.pexpire(asHash, 60_000);
    const usage = async (key: string) => (await redis.memory('USAGE', key, 'SAMPLES', 0)) ?? Infinity;
    const [string, hash] = [await usage(flowKey), await usage(asHash)];
    // The snapshot's own bytes plus one allocation's rounding, against six fields' overhead.
    expect(string).toBeLessThan(JSON.stringify(snapshot).length + 260);
    expect(hash - string).toBeGreaterThan(250);
  });

  it('still reads, writes and ends a flow stored as a hash before, and rewrites it as one string', async () => {
    const { store, keys, clock } = redisFixture();
    const flowKey = keys.tagged(owner, 'flow', 'f1');
    const pointerKey = keys.tagged(owner, 'flow-active');
    const at = clock.now();
    await redis.hset(flowKey, {
      machineId: 'm',
      version: '1',
      rev: '4',
      snapshot: '{"value":"start"}',
      owner,
      updatedAt: String(at),
    });
    await redis.hset(pointerKey, { flowId: 'f1', updatedAt: String(at) });
    await redis.pexpire(flowKey, 60_000);
    await redis.pexpire(pointerKey, 60_000);
    clock.advance(1_000);

    const envelope = {
      machineId: 'm',
      version: 1,
      rev: 4,
      snapshot: { value: 'start' },
      owner,
      updatedAt: at,
    };
    expect(await store.get(owner, 'f1')).toEqual({ status: 'found', envelope });
    expect(await store.active(owner)).toBe('f1');
    expect((await store.create(owner, 'f2', init)).status).toBe('conflict');
    expect(await store.compareAndSet(owner, 'f1', 3, { snapshot: {} })).toEqual({
      status: 'conflict',
      currentRev: 4,
    });
    expect(await store.compareAndSet(owner, 'f1', 4, { snapshot: { value: 'next' } })).toEqual({
      status: 'ok',
      rev: 5,
      updatedAt: clock.now(),
    });
    expect([await redis.type(flowKey), await redis.type(pointerKey)]).toEqual(['string', 'string']);
    expect(await store.get(owner, 'f1')).toEqual({
      status: 'found',
      envelope: { ...envelope, rev: 5, snapshot: { value: 'next' }, updatedAt: clock.now() },
    });
    expect(await store.active(owner)).toBe('f1');

    await redis.hset(keys.tagged(owner, 'flow', 'f3'), {
      machineId: 'm',
      version: '1',
      rev: '1',
      snapshot: '{}',
      owner: 'slack:T1:U2',
      updatedAt: String(at),
    });
    expect(await store.get(owner, 'f3')).toEqual({
      status: 'corrupt',
      detail: 'flow belongs to another owner',
    });
    await store.end(owner, 'f3');

    await store.end(owner, 'f1');
    expect(await store.get(owner, 'f1')).toEqual({ status: 'missing' });
    expect(await store.active(owner)).toBeNull();
  });

  it('still reads a pointer that names its flow only, as written before it carried the time', async () => {
    const { store, keys, clock } = redisFixture();
    const pointerKey = keys.tagged(owner, 'flow-active');
    await store.create(owner, 'f1', init);
    await redis.set(pointerKey, 'f1', 'PX', 60_000);
    clock.advance(1_000);

    expect(await store.active(owner)).toBe('f1');
    expect(await store.create(owner, 'f2', init)).toEqual({ status: 'conflict', activeFlowId: 'f1' });
    clock.advance(CONTRACT_IDLE_MS);
    expect(await store.active(owner)).toBeNull();
    expect((await store.create(owner, 'f2', init)).status).toBe('created');
    expect(await redis.get(pointerKey)).toBe(`${clock.now()}|f2`);

    await redis.set(pointerKey, 'f2', 'PX', 60_000);
    await store.end(owner, 'f2');
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
