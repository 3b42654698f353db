import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { CorruptRecordError } from '../../src/core/errors.js';
import { MemoryFlowMessages, RedisFlowMessages, type FlowMessages } from '../../src/slack/flow-messages.js';
import { connectShared, keysUnder, uniquePrefix } from '../support/redis.js';

const TTL = 60_000;
let redis: Redis;
beforeAll(async () => {
  redis = await connectShared();
});
afterAll(async () => {
  await redis.quit();
});

describe.each([
  ['memory', () => ({ store: new MemoryFlowMessages(new ManualClock(), TTL) as FlowMessages, prefix: '' })],
  [
    'redis',
    () => {
      const prefix = uniquePrefix('fm');
      return { store: new RedisFlowMessages(redis, prefix, TTL) as FlowMessages, prefix };
    },
  ],
])('flow message locations (%s)', (_label, make) => {
  it('remembers where each flow’s message is, per user', async () => {
    const { store } = make();
    await store.remember('T1', 'U1', 'flow-a', { channel: 'DU1', ts: '1.000001' });
    expect(await store.find('T1', 'U1', 'flow-a')).toEqual({ channel: 'DU1', ts: '1.000001' });
    expect(await store.find('T1', 'U2', 'flow-a')).toBeNull();
    expect(await store.find('T1', 'U1', 'flow-b')).toBeNull();
  });
});

describe('flow message locations on Redis', () => {
  it('expire with the TTL and refuse a corrupt record', async () => {
    const prefix = uniquePrefix('fm');
    const store = new RedisFlowMessages(redis, prefix, TTL);
    await store.remember('T1', 'U1', 'flow-a', { channel: 'DU1', ts: '1.000001' });
    const [key] = await keysUnder(redis, prefix);
    expect(key).toContain('{slack:T1:U1}');
    const ttl = await redis.pttl(key ?? '');
    expect(ttl).toBeGreaterThan(TTL - 5_000);
    expect(ttl).toBeLessThanOrEqual(TTL);
    await redis.set(key ?? '', '{"channel":1}');
    await expect(store.find('T1', 'U1', 'flow-a')).rejects.toBeInstanceOf(CorruptRecordError);
  });

  it('forgets in memory once the clock passes the TTL', async () => {
    const clock = new ManualClock();
    const store = new MemoryFlowMessages(clock, TTL);
    await store.remember('T1', 'U1', 'flow-a', { channel: 'DU1', ts: '1.000001' });
    clock.advance(TTL);
    expect(await store.find('T1', 'U1', 'flow-a')).toBeNull();
  });
});
