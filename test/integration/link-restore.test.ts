import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAccountDirectory } from '../../src/adapters/redis/account-directory.js';
import { createFailFastRedis, waitUntilReady } from '../../src/adapters/redis/connection.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { RedisLinkTokenStore } from '../../src/adapters/redis/link-token-store.js';
import { ManualClock } from '../../src/core/clock.js';
import { digestLinkToken, LinkTokens } from '../../src/services/link-tokens.js';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.js';

/** Waits until the client noticed the server went away and came back. */
async function reconnected(redis: Redis): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (redis.status === 'ready' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await waitUntilReady(redis, 10_000);
}

describe('a Redis snapshot restored after a link was used', () => {
  let server: RedisServerHandle;
  let redis: Redis;
  beforeAll(async () => {
    // A private server: this test restarts it from a snapshot, which the shared one must never see.
    server = await startRedisServer();
    redis = createFailFastRedis(server.url);
    await waitUntilReady(redis);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.dispose();
  });

  it('does not revive the link, although the snapshot brings back its record and the old password', async () => {
    const clock = new ManualClock();
    const keys = new RedisKeys('restore');
    const directory = new RedisAccountDirectory(redis, keys, clock);
    const store = new RedisLinkTokenStore(redis, keys, clock);
    const links = new LinkTokens({
      store,
      clock,
      lifetimes: { resetTtlMs: 48 * 3_600_000, passwordChangeTtlMs: 600_000 },
      currentCredentialVersion: async (accountId) =>
        (await directory.getById(accountId))?.credentialVersion ?? 0,
    });
    const account = await directory.create({ loginEmail: 'restored@example.com', accountName: 'Restored' });
    const token = await links.mint({
      accountId: account.accountId,
      kind: 'reset',
      credentialVersion: account.credentialVersion,
    });

    await redis.save(); // the backup: taken while the link is still unused
    expect(await links.consume(token)).toMatchObject({ ok: true });
    await directory.bumpCredentialVersion(account.accountId); // the reset changed the password
    expect(await links.peek(token)).toMatchObject({ ok: false, reason: 'used' });

    // The operator restores the backup: the server restarts from the snapshot.
    await server.stop();
    await server.start();
    await reconnected(redis);

    const revived = await store.find(digestLinkToken(token));
    expect(revived.status).toBe('live');
    expect((await directory.getById(account.accountId))?.credentialVersion).toBe(account.credentialVersion);
    expect(await links.peek(token)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await links.consume(token)).toMatchObject({ ok: false, reason: 'revoked' });

    // A link asked for after the restore works as usual.
    const fresh = await links.mint({
      accountId: account.accountId,
      kind: 'reset',
      credentialVersion: account.credentialVersion,
    });
    expect(await links.consume(fresh)).toMatchObject({ ok: true });
  });
});
