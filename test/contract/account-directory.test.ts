import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  MemoryAccountDirectory,
  MemoryDirectoryStorage,
} from '../../src/adapters/memory/account-directory.js';
import { RedisAccountDirectory } from '../../src/adapters/redis/account-directory.js';
import { CLAIM_LEASE_MS } from '../../src/adapters/redis/directory-claims.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { ManualClock } from '../../src/core/clock.js';
import { CorruptRecordError } from '../../src/core/errors.js';
import { LoginEmailTakenError } from '../../src/ports/account-directory.js';
import { describeRedisOutage } from '../support/outage.js';
import { connectShared, keysUnder, uniquePrefix } from '../support/redis.js';
import { describeAccountDirectoryContract } from './account-directory.contract.js';

describeAccountDirectoryContract('memory', async () => {
  const clock = new ManualClock();
  const storage = new MemoryDirectoryStorage();
  return {
    directory: new MemoryAccountDirectory(clock, storage),
    clock,
    corrupt: async (accountId) => {
      storage.accounts.set(accountId, '{"accountId":');
    },
  };
});

let redis: Redis;
beforeAll(async () => {
  redis = await connectShared();
});
afterAll(async () => {
  await redis.quit();
});

describeAccountDirectoryContract('redis', async () => {
  const clock = new ManualClock();
  const keys = new RedisKeys(uniquePrefix('ad'));
  return {
    directory: new RedisAccountDirectory(redis, keys, clock),
    clock,
    corrupt: async (accountId) => {
      await redis.set(keys.account(accountId, 'account'), '{"account":{"accountId":');
    },
  };
});

const person = {
  loginEmail: 'grace@example.com',
  accountName: 'Grace Hopper',
  passwordHash: `$2b$04$${'y'.repeat(53)}`,
};

describe('RedisAccountDirectory storage', () => {
  let prefix: string;
  let keys: RedisKeys;
  let clock: ManualClock;
  let directory: RedisAccountDirectory;

  beforeEach(() => {
    prefix = uniquePrefix('ad');
    keys = new RedisKeys(prefix);
    clock = new ManualClock();
    directory = new RedisAccountDirectory(redis, keys, clock);
  });

  it('keeps accounts and indexes durable (no TTL) and leaves no claim ticket behind', async () => {
    const { accountId } = await directory.create(person);
    await directory.linkSlackUser(accountId, 'T1', 'U1');
    await directory.changeLoginEmail(accountId, 'grace@navy.example.com');
    const found = (await keysUnder(redis, prefix)).sort();
    expect(found).toEqual(
      [
        `${prefix}:directory:{account-id}`,
        `${prefix}:directory:login-email:{grace@navy.example.com}`,
        `${prefix}:{acct:${accountId}}:account`,
        `${prefix}:{slack:T1:U1}:account`,
      ].sort(),
    );
    for (const key of found) expect(await redis.pttl(key)).toBe(-1);
  });

  it('puts every key of one account in one cluster slot', async () => {
    const { accountId } = await directory.create(person);
    const first = await directory.submit(accountId, {
      kind: 'individual',
      documentType: 'passport',
      name: 'Grace Hopper',
      region: 'US',
      documentNumberEncrypted: `v1.${'A'.repeat(16)}.${'B'.repeat(12)}.${'C'.repeat(22)}`,
      documentHash: 'a'.repeat(64),
      documentNumberMasked: 'X1****89',
    });
    expect(first.outcome).toBe('submitted');
    const found = await keysUnder(redis, prefix);
    const accountKeys = found.filter((key) => key.includes(`{acct:${accountId}}`));
    expect(accountKeys).toHaveLength(2);
    // Redis Cluster hashes only the first {...} of a key: every key must start its tag the same way.
    for (const key of found) {
      const tag = /\{[^}]*\}/.exec(key)?.[0];
      if (key.includes(':{acct:')) expect(tag).toBe(`{acct:${accountId}}`);
      else expect(tag).toBeDefined();
    }
  });

  it('ignores and then reclaims an index entry a crash left behind', async () => {
    // A create that died after taking the index entry but before writing its record.
    const indexKey = keys.global('directory', 'login-email', 'grace@example.com');
    await redis.set(indexKey, '4242|00000000-0000-0000-0000-000000000000');
    expect(await directory.getByLoginEmail('grace@example.com')).toBeNull();
    const account = await directory.create(person);
    expect((await directory.getByLoginEmail('Grace@example.com'))?.accountId).toBe(account.accountId);
    expect(await redis.get(indexKey)).toMatch(new RegExp(`^${account.accountId}\\|`));
  });

  it('waits out a live claim of another account, then fences it', async () => {
    // Another account is between "index taken" and "record written".
    const indexKey = keys.global('directory', 'login-email', 'grace@example.com');
    const ticketKey = keys.account('4243', 'claim', 'login-email', 'grace@example.com');
    await redis.set(indexKey, '4243|11111111-1111-1111-1111-111111111111');
    await redis.set(ticketKey, `11111111-1111-1111-1111-111111111111|${clock.now()}`, 'PX', CLAIM_LEASE_MS);
    await expect(directory.create(person)).rejects.toThrow(LoginEmailTakenError);

    clock.advance(CLAIM_LEASE_MS);
    const account = await directory.create(person);
    expect((await directory.getByLoginEmail('grace@example.com'))?.accountId).toBe(account.accountId);
    // The fenced ticket is gone, so the stalled claim can never be committed.
    expect(await redis.exists(ticketKey)).toBe(0);
  });

  it('lets a lookup through a stale Slack entry find nothing', async () => {
    const { accountId } = await directory.create(person);
    await redis.set(
      keys.slackUser('T1', 'UGHOST', 'account'),
      `${accountId}|22222222-2222-2222-2222-222222222222`,
    );
    expect(await directory.getBySlackUser('T1', 'UGHOST')).toBeNull();
    expect(await directory.linkSlackUser(accountId, 'T1', 'UGHOST')).toBe('linked');
    expect((await directory.getBySlackUser('T1', 'UGHOST'))?.accountId).toBe(accountId);
  });

  it('reports an index entry it did not write as corrupt', async () => {
    await redis.set(keys.global('directory', 'login-email', 'grace@example.com'), 'garbage');
    await expect(directory.getByLoginEmail('grace@example.com')).rejects.toThrow(CorruptRecordError);
  });

  it('reports a record of the wrong Redis type as corrupt', async () => {
    await redis.hset(keys.account('777', 'account'), 'a', 'b');
    await expect(directory.getById('777')).rejects.toThrow(CorruptRecordError);
  });
});

describeRedisOutage('account directory', {
  build: ({ redis: connection, keys, clock }) => new RedisAccountDirectory(connection, keys, clock),
  operations: [
    {
      name: 'create',
      run: (directory) =>
        directory.create({ loginEmail: `${randomUUID()}@example.com`, accountName: 'Outage' }),
    },
    { name: 'getById', run: (directory) => directory.getById('1000001') },
    { name: 'getByLoginEmail', run: (directory) => directory.getByLoginEmail('outage@example.com') },
    { name: 'getBySlackUser', run: (directory) => directory.getBySlackUser('T1', 'U1') },
    { name: 'listPending', run: (directory) => directory.listPending() },
  ],
});
