import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectShared, uniquePrefix } from '../../test/support/redis.js';
import { MemoryAccountDirectory } from '../adapters/memory/account-directory.js';
import { RedisAccountDirectory } from '../adapters/redis/account-directory.js';
import { RedisKeys } from '../adapters/redis/keys.js';
import { ManualClock } from '../core/clock.js';
import type { AccountDirectory } from '../ports/account-directory.js';
import { DEMO_PASSWORD, DEMO_SLACK_TEAM, seedDemoAccounts } from './demo-accounts.js';
import { DocumentCipher } from './documents.js';

const cipher = new DocumentCipher(Buffer.alloc(32, 3));

/** Stands in for bcrypt (slow on purpose); counts calls so a re-run can be seen to hash nothing. */
function fakeHasher() {
  const seen: string[] = [];
  const hash = async (password: string) => {
    seen.push(password);
    return `$2b$04$${String(seen.length).padStart(53, 'd')}`;
  };
  return { hash, seen };
}

let redis: Redis;
beforeAll(async () => {
  redis = await connectShared();
});
afterAll(async () => {
  await redis.quit();
});

const stores: Array<[string, (clock: ManualClock) => AccountDirectory]> = [
  ['memory', (clock) => new MemoryAccountDirectory(clock)],
  ['redis', (clock) => new RedisAccountDirectory(redis, new RedisKeys(uniquePrefix('demo')), clock)],
];

describe.each(stores)('seedDemoAccounts on %s', (_label, build) => {
  it('creates the demo accounts with the states they demonstrate', async () => {
    const clock = new ManualClock();
    const directory = build(clock);
    const hasher = fakeHasher();
    const seeded = await seedDemoAccounts(directory, hasher.hash, clock, cipher);
    const byKey = Object.fromEntries(seeded.map((entry) => [entry.key, entry.account]));

    expect(seeded.every((entry) => entry.created)).toBe(true);
    expect(hasher.seen.every((password) => password === DEMO_PASSWORD)).toBe(true);
    expect(byKey.complete).toMatchObject({
      verification: { status: 'verified' },
      contactEmailVerified: true,
    });
    expect(byKey.complete?.contactAddress).not.toBeNull();
    expect(byKey['no-security-mobile']).toMatchObject({ securityMobile: null });
    expect(byKey['no-security-mobile']?.verificationEmail).not.toBeNull();
    expect(byKey['pending-verification']?.verification.status).toBe('pending');
    expect(byKey['no-login-email']).toMatchObject({ loginEmail: null });

    const pending = await directory.listPending();
    expect(pending.map((s) => s.accountId)).toEqual([byKey['pending-verification']?.accountId]);
    expect(cipher.decrypt(pending[0]?.documentNumberEncrypted ?? '')).toBe('B12345674');
    expect((await directory.getBySlackUser(DEMO_SLACK_TEAM, 'U0DEV'))?.accountId).toBe(
      byKey['no-login-email']?.accountId,
    );
  });

  it('changes nothing and hashes nothing when run again', async () => {
    const clock = new ManualClock();
    const directory = build(clock);
    const first = await seedDemoAccounts(directory, fakeHasher().hash, clock, cipher);
    const hasher = fakeHasher();
    const second = await seedDemoAccounts(directory, hasher.hash, clock, cipher);

    expect(second.map((entry) => entry.created)).toEqual(second.map(() => false));
    expect(second.map((entry) => entry.account)).toEqual(first.map((entry) => entry.account));
    expect(hasher.seen).toEqual([]);
    expect(await directory.listPending()).toHaveLength(1);
  });
});
