import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryFlowMessages } from '../../src/adapters/memory/flow-messages.js';
import { RedisFlowMessages } from '../../src/adapters/redis/flow-messages.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { ManualClock } from '../../src/core/clock.js';
import { CorruptRecordError } from '../../src/core/errors.js';
import { FLOW_MESSAGE_TTL_MS } from '../../src/ports/flow-messages.js';
import { connectShared, keysUnder, uniquePrefix } from '../support/redis.js';
import { describeFlowMessagesContract } from './flow-messages.contract.js';

const TTL = 60_000;

describeFlowMessagesContract('memory', async () => new MemoryFlowMessages(new ManualClock()));

let redis: Redis;
beforeAll(async () => {
  redis = await connectShared();
});
afterAll(async () => {
  await redis.quit();
});

describeFlowMessagesContract(
  'redis',
  async () => new RedisFlowMessages(redis, new RedisKeys(uniquePrefix('fm'))),
);

describe('flow message lifetime and storage', () => {
  it('keeps a record under the Slack user hash tag with a day as TTL by default', async () => {
    const prefix = uniquePrefix('fm');
    await new RedisFlowMessages(redis, new RedisKeys(prefix)).remember('T1', 'U1', 'flow-a', {
      channel: 'DU1',
      ts: '1.000001',
    });
    const keys = await keysUnder(redis, prefix);
    expect(keys).toEqual([`${prefix}:{slack:T1:U1}:flow-message:flow-a`]);
    const ttl = await redis.pttl(keys[0] ?? '');
    expect(ttl).toBeGreaterThan(FLOW_MESSAGE_TTL_MS - 5_000);
    expect(ttl).toBeLessThanOrEqual(FLOW_MESSAGE_TTL_MS);
  });

  it('reports a stored record that does not parse instead of using it', async () => {
    const prefix = uniquePrefix('fm');
    const store = new RedisFlowMessages(redis, new RedisKeys(prefix), TTL);
    await store.remember('T1', 'U1', 'flow-a', { channel: 'DU1', ts: '1.000001' });
    const [key] = await keysUnder(redis, prefix);
    await redis.set(key ?? '', '{"channel":1}');
    await expect(store.find('T1', 'U1', 'flow-a')).rejects.toBeInstanceOf(CorruptRecordError);
    await redis.set(key ?? '', 'not json');
    await expect(store.find('T1', 'U1', 'flow-a')).rejects.toBeInstanceOf(CorruptRecordError);
  });

  it('forgets an in-process record once the clock passes its lifetime', async () => {
    const clock = new ManualClock();
    const store = new MemoryFlowMessages(clock, TTL);
    await store.remember('T1', 'U1', 'flow-a', { channel: 'DU1', ts: '1.000001' });
    clock.advance(TTL - 1);
    expect(await store.find('T1', 'U1', 'flow-a')).not.toBeNull();
    clock.advance(1);
    expect(await store.find('T1', 'U1', 'flow-a')).toBeNull();
  });
});
