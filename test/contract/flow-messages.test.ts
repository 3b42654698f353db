import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryFlowMessages } from '../../src/adapters/memory/flow-messages.js';
import { RedisFlowMessages } from '../../src/adapters/redis/flow-messages.js';
import { RedisFlowSessionStore } from '../../src/adapters/redis/flow-session-store.js';
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
  const owner = 'slack:T1:U1';
  const init = { machineId: 'changeContactMobile', version: 1, snapshot: { value: 'start' } };
  const fixture = () => {
    const prefix = uniquePrefix('fm');
    const keys = new RedisKeys(prefix);
    const clock = new ManualClock();
    return {
      prefix,
      keys,
      clock,
      messages: new RedisFlowMessages(redis, keys),
      flows: new RedisFlowSessionStore(redis, keys, clock, { idleTimeoutMs: 60_000 }),
    };
  };

  it('keeps a message with no flow record under the Slack user hash tag, a day by default', async () => {
    const { prefix, messages } = fixture();
    await messages.remember('T1', 'U1', 'flow-a', { channel: 'DU1', ts: '1.000001' });
    const keys = await keysUnder(redis, prefix);
    expect(keys).toEqual([`${prefix}:{slack:T1:U1}:flow:flow-a`]);
    const ttl = await redis.pttl(keys[0] ?? '');
    expect(ttl).toBeGreaterThan(FLOW_MESSAGE_TTL_MS - 5_000);
    expect(ttl).toBeLessThanOrEqual(FLOW_MESSAGE_TTL_MS);
  });

  it('folds the message into the open flow: one key, the flow’s lifetime and rev kept', async () => {
    const { prefix, keys, messages, flows } = fixture();
    await flows.create(owner, 'f1', init);
    const flowKey = keys.tagged(owner, 'flow', 'f1');
    const ttl = await redis.pttl(flowKey);
    await messages.remember('T1', 'U1', 'f1', { channel: 'DU1', ts: '1.000001', machineId: 'x' });
    expect(await keysUnder(redis, prefix)).toEqual(
      expect.arrayContaining([flowKey, keys.tagged(owner, 'flow-active')]),
    );
    expect(await keysUnder(redis, prefix)).toHaveLength(2);
    expect(await redis.pttl(flowKey)).toBeGreaterThan(ttl - 5_000);
    expect(await messages.find('T1', 'U1', 'f1')).toEqual({
      channel: 'DU1',
      ts: '1.000001',
      machineId: 'changeContactMobile',
      followsFlow: true,
    });
    const read = await flows.get(owner, 'f1');
    expect(read).toMatchObject({ status: 'found', envelope: { rev: 1, snapshot: { value: 'start' } } });

    expect(await flows.compareAndSet(owner, 'f1', 1, { snapshot: { value: 'next' } })).toMatchObject({
      status: 'ok',
    });
    expect((await messages.find('T1', 'U1', 'f1'))?.ts).toBe('1.000001');
    // The write that finishes the flow marks its message ended, with no write of its own.
    await flows.compareAndSet(owner, 'f1', 2, { snapshot: {}, outcome: { status: 'completed' } });
    expect(await messages.find('T1', 'U1', 'f1')).toEqual({
      channel: 'DU1',
      ts: '1.000001',
      machineId: 'changeContactMobile',
      ended: true,
    });
    expect(await flows.get(owner, 'f1')).toMatchObject({
      status: 'finished',
      outcome: { status: 'completed' },
    });
  });

  it('still finds the message of a flow that ended without an outcome', async () => {
    const { messages, flows } = fixture();
    await flows.create(owner, 'f1', init);
    await messages.remember('T1', 'U1', 'f1', { channel: 'DU1', ts: '1.000001' });
    await flows.end(owner, 'f1');
    expect(await flows.get(owner, 'f1')).toEqual({ status: 'missing' });
    expect(await flows.active(owner)).toBeNull();
    expect(await messages.find('T1', 'U1', 'f1')).toEqual({
      channel: 'DU1',
      ts: '1.000001',
      machineId: 'changeContactMobile',
    });
    expect((await flows.create(owner, 'f1', init)).status).toBe('created');
  });

  it('still reads a message kept in its own key before, and the flow records written then', async () => {
    const { keys, clock, messages, flows } = fixture();
    const at = clock.now();
    const flowKey = keys.tagged(owner, 'flow', 'f1');
    await redis.set(flowKey, `3|${at}|1|changeContactMobile|{"value":"code"}`, 'PX', 60_000);
    await redis.set(keys.tagged(owner, 'flow-active'), `${at}|f1`, 'PX', 60_000);
    const own = keys.slackUser('T1', 'U1', 'flow-message', 'f1');
    await redis.set(own, JSON.stringify({ channel: 'DU1', ts: '1.000001', machineId: 'm' }), 'PX', 60_000);

    expect(await messages.find('T1', 'U1', 'f1')).toEqual({
      channel: 'DU1',
      ts: '1.000001',
      machineId: 'm',
      followsFlow: true,
    });
    expect(await flows.active(owner)).toBe('f1');
    expect((await flows.create(owner, 'f2', init)).status).toBe('conflict');
    expect(await flows.compareAndSet(owner, 'f1', 3, { snapshot: { value: 'next' } })).toMatchObject({
      status: 'ok',
      rev: 4,
    });
    await flows.compareAndSet(owner, 'f1', 4, { snapshot: {}, outcome: { status: 'completed' } });
    expect(await messages.find('T1', 'U1', 'f1')).toEqual({
      channel: 'DU1',
      ts: '1.000001',
      machineId: 'm',
      ended: true,
    });

    await redis.set(own, '{"channel":1}');
    await expect(messages.find('T1', 'U1', 'f1')).rejects.toBeInstanceOf(CorruptRecordError);
    await redis.set(own, 'not json');
    await expect(messages.find('T1', 'U1', 'f1')).rejects.toBeInstanceOf(CorruptRecordError);
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
