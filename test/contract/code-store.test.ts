import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCodeStore } from '../../src/adapters/memory/code-store.js';
import { RedisCodeStore } from '../../src/adapters/redis/code-store.js';
import { createFailFastRedis } from '../../src/adapters/redis/connection.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { ManualClock } from '../../src/core/clock.js';
import { CorruptRecordError, TemporarilyUnavailableError } from '../../src/core/errors.js';
import {
  CODE_COUNT_WINDOW_MS,
  CODE_LOCK_HISTORY_MS,
  CODE_RECORD_RETENTION_MS,
} from '../../src/ports/code-store.js';
import { bindingDigest, codeDigest, CodeService } from '../../src/services/codes.js';
import { freePort } from '../support/redis-server.js';
import { connectShared, keysUnder, uniquePrefix } from '../support/redis.js';
import { CONTRACT_RULES, describeCodeStoreContract, type StoredKey } from './code-store.contract.js';

describeCodeStoreContract('memory', async (rules) => {
  const clock = new ManualClock();
  return { store: new MemoryCodeStore(clock, rules), clock };
});

let redis: Redis;
beforeAll(async () => {
  redis = await connectShared();
});
afterAll(async () => {
  await redis.quit();
});

const suitePrefix = uniquePrefix('oc');

describeCodeStoreContract(
  'redis',
  async (rules) => {
    const clock = new ManualClock();
    return { store: new RedisCodeStore(redis, new RedisKeys(suitePrefix), clock, rules), clock };
  },
  () => storedUnder(suitePrefix),
);

/** Reads each key with the command its type needs, so nothing it holds is missed. */
async function storedUnder(prefix: string): Promise<StoredKey[]> {
  const keys = await keysUnder(redis, prefix);
  return Promise.all(
    keys.map(async (key) => {
      const type = await redis.type(key);
      let strings: string[];
      if (type === 'string') strings = [(await redis.get(key)) ?? ''];
      else if (type === 'hash') strings = Object.entries(await redis.hgetall(key)).flat();
      else if (type === 'zset') strings = (await redis.zrange(key, 0, '-1', 'WITHSCORES')).flat().map(String);
      else if (type === 'set') strings = await redis.smembers(key);
      else if (type === 'list') strings = await redis.lrange(key, 0, -1);
      else throw new Error(`unexpected ${type} at ${key}`);
      return { key, pttl: await redis.pttl(key), strings };
    }),
  );
}

describe('RedisCodeStore storage', () => {
  const key = Buffer.alloc(32, 9);
  const binding = {
    accountId: '4242',
    flowId: 'flow-1',
    purpose: 'security-mobile',
    target: '+447700900123',
    channel: 'sms',
  } as const;

  const setUp = () => {
    const prefix = uniquePrefix('oc');
    const clock = new ManualClock();
    const store = new RedisCodeStore(redis, new RedisKeys(prefix), clock, CONTRACT_RULES);
    return { prefix, clock, store, codes: new CodeService(store, key) };
  };

  it('keeps one account in one slot, each key living as long as its logical lifetime', async () => {
    const { prefix, codes } = setUp();
    const tag = `${prefix}:{acct:4242}`;
    const lifetimes = async () =>
      Object.fromEntries((await storedUnder(prefix)).map((entry) => [entry.key, entry.pttl]));
    const failTimes = async (flowId: string, times: number) => {
      const flow = { ...binding, flowId };
      const issued = await codes.issue(flow);
      if (!issued.ok) throw new Error('expected a code');
      for (let index = 0; index < times; index += 1) await codes.verify(flow, wrongFor(issued.code));
    };

    await failTimes('flow-1', 5);
    await failTimes('flow-2', 5);
    let ttl = await lifetimes();
    expect(Object.keys(ttl).sort()).toEqual([
      `${tag}:code-failures`,
      `${tag}:code-lock`,
      `${tag}:code-locks`,
      `${tag}:code-sends:sms`,
      `${tag}:codes`,
    ]);
    expectNear(ttl[`${tag}:codes`], CONTRACT_RULES.ttlMs + CODE_RECORD_RETENTION_MS);
    expectNear(ttl[`${tag}:code-sends:sms`], CODE_COUNT_WINDOW_MS);
    expectNear(ttl[`${tag}:code-failures`], CODE_COUNT_WINDOW_MS);
    expectNear(ttl[`${tag}:code-lock`], CONTRACT_RULES.lockMs);
    expectNear(ttl[`${tag}:code-locks`], CODE_LOCK_HISTORY_MS);

    await codes.unlock('4242');
    await failTimes('flow-3', 1);
    ttl = await lifetimes();
    expect(Object.keys(ttl).sort()).toEqual([
      `${tag}:code-failures`,
      `${tag}:code-sends:sms`,
      `${tag}:codes`,
    ]);
    expectNear(ttl[`${tag}:code-failures`], CODE_COUNT_WINDOW_MS);
  });

  it('stores the code only as part of a digest, in one short record', async () => {
    const { prefix, codes } = setUp();
    const issued = await codes.issue(binding);
    if (!issued.ok) throw new Error('expected a code');
    const record = (await redis.hget(`${prefix}:{acct:4242}:codes`, 'flow-1')) ?? '';
    expect(record).toMatch(/^live\|0\|\d{13}\|\d{13}\|\d{13}\|[\w-]{22}\|[\w-]{22}$/);
    expect(record).not.toContain(issued.code);
    expect(record).not.toContain(binding.target);
  });

  it('still reads a record written as JSON before the compact form: status, cooldown, wrong and right codes', async () => {
    const { prefix, clock, codes } = setUp();
    const code = '246810';
    const now = clock.now();
    await redis.hset(
      `${prefix}:{acct:4242}:codes`,
      'flow-1',
      JSON.stringify({
        binding: bindingDigest(key, binding),
        digest: codeDigest(key, binding, code),
        issuedAt: now,
        resendAt: now + CONTRACT_RULES.resendCooldownMs,
        expiresAt: now + CONTRACT_RULES.ttlMs,
        retainUntil: now + CONTRACT_RULES.ttlMs + CODE_RECORD_RETENTION_MS,
        attempts: 0,
        state: 'live',
      }),
    );
    await redis.pexpire(`${prefix}:{acct:4242}:codes`, 60_000);
    expect(await codes.status(binding)).toEqual({
      expiresAt: now + CONTRACT_RULES.ttlMs,
      resendAvailableAt: now + CONTRACT_RULES.resendCooldownMs,
    });
    expect(await codes.issue(binding)).toMatchObject({ ok: false, reason: 'cooldown' });
    expect(await codes.verify(binding, wrongFor(code))).toEqual({
      outcome: 'wrong',
      attemptsLeft: CONTRACT_RULES.maxAttempts - 1,
    });
    expect(await codes.verify(binding, code)).toEqual({ outcome: 'ok' });
    expect(await codes.verify(binding, code)).toEqual({ outcome: 'none' });
  });

  it('reports a damaged record or lock as corrupt and leaves it as it was', async () => {
    const { prefix, codes } = setUp();
    const codesKey = `${prefix}:{acct:4242}:codes`;
    await redis.hset(codesKey, 'flow-1', '{"binding":"x"');
    await redis.pexpire(codesKey, 60_000);
    await expect(codes.verify(binding, '123456')).rejects.toThrow(CorruptRecordError);
    await expect(codes.issue(binding)).rejects.toThrow(CorruptRecordError);
    await expect(codes.status(binding)).rejects.toThrow(CorruptRecordError);
    expect(await redis.hget(codesKey, 'flow-1')).toBe('{"binding":"x"');

    await redis.set(`${prefix}:{acct:4242}:code-lock`, 'soon', 'PX', 60_000);
    await expect(codes.issue({ ...binding, flowId: 'flow-2' })).rejects.toThrow(CorruptRecordError);
    await redis.set(codesKey, 'not a hash', 'PX', 60_000);
    await redis.del(`${prefix}:{acct:4242}:code-lock`);
    await expect(codes.revokeAll('4242')).rejects.toThrow(CorruptRecordError);
  });

  it('fails closed when Redis cannot be reached', async () => {
    const down = createFailFastRedis(`redis://127.0.0.1:${await freePort()}`, { retryStrategy: () => null });
    const store = new RedisCodeStore(
      down,
      new RedisKeys(uniquePrefix('oc')),
      new ManualClock(),
      CONTRACT_RULES,
    );
    const codes = new CodeService(store, key);
    try {
      await expect(codes.issue(binding)).rejects.toThrow(TemporarilyUnavailableError);
      await expect(codes.verify(binding, '123456')).rejects.toThrow(TemporarilyUnavailableError);
      await expect(codes.status(binding)).rejects.toThrow(TemporarilyUnavailableError);
      await expect(codes.unlock('4242')).rejects.toThrow(TemporarilyUnavailableError);
    } finally {
      down.disconnect();
    }
  });
});

function wrongFor(code: string): string {
  return code === '000000' ? '000001' : '000000';
}

/** A TTL set a moment ago: at most the lifetime, and not more than a few seconds less. */
function expectNear(pttl: number | undefined, lifetimeMs: number): void {
  expect(pttl).toBeGreaterThan(lifetimeMs - 5_000);
  expect(pttl).toBeLessThanOrEqual(lifetimeMs);
}
