import { Cluster } from 'ioredis';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { CorruptRecordError } from '../../core/errors.js';
import { parseStoredRecord } from '../../core/stored-record.js';
import {
  assertValidAccountId,
  assertValidDigest,
  LINK_KINDS,
  LINK_RECORD_GRACE_MS,
  type AccountLinkStanding,
  type LinkKind,
  type LinkTokenLookup,
  type LinkTokenRecord,
  type LinkTokenStore,
  type NewLinkToken,
} from '../../ports/link-token-store.js';
import { asCorruptRecord, CachedScript } from './cached-script.js';
import { guarded, type RedisClient } from './connection.js';
import type { RedisKeys } from './keys.js';

/*
 * Two kinds of key, in different Cluster slots on purpose:
 * - `lt:{<digest>}`, a hash {record, usedAt}: a link arrives with nothing but its token,
 *   so the lookup key can only be tagged by the digest, never by the account.
 * - `{acct:ID}:links`, a hash {seq, revokedThrough, newest:<kind>}: the account's standing.
 * No script touches both. `claim` is one script on the token key (single use); whether
 * the claimed token is still the newest and unrevoked is a separate read of the account
 * key afterwards. That order is safe: a token only ever loses standing (a newer token,
 * a revocation and a credential version never go back), so a token that still stands
 * after it was claimed stood at the moment it was claimed.
 */

/** KEYS: standing. ARGV: kind, digest, ttlMs. Returns the new serial. */
const SAVE = new CachedScript(`
local seq = redis.call('HGET', KEYS[1], 'seq')
if seq and not tonumber(seq) then return redis.error_reply('CORRUPT link standing ' .. KEYS[1]) end
local serial = (tonumber(seq) or 0) + 1
redis.call('HSET', KEYS[1], 'seq', serial, 'newest:' .. ARGV[1], ARGV[2])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return serial
`);

/** KEYS: token. ARGV: record JSON, ttlMs. Record and TTL in one step, so no key lives forever. */
const STORE = new CachedScript(`
redis.call('HSET', KEYS[1], 'record', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/** KEYS: token. ARGV: now. Returns {status, record?}. */
const CLAIM = new CachedScript(`
local record = redis.call('HGET', KEYS[1], 'record')
if not record then return {'unknown'} end
if redis.call('HSETNX', KEYS[1], 'usedAt', ARGV[1]) == 0 then return {'used', record} end
return {'live', record}
`);

/** KEYS: standing. Leaves the key's TTL alone: it already outlives every token it revokes. */
const REVOKE_ALL = new CachedScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local seq = redis.call('HGET', KEYS[1], 'seq')
if not seq then return redis.error_reply('CORRUPT link standing ' .. KEYS[1]) end
redis.call('HSET', KEYS[1], 'revokedThrough', seq)
return 1
`);

const newTokenSchema = z.object({
  accountId: z.string().min(1),
  kind: z.enum(LINK_KINDS),
  credentialVersion: z.number().int(),
  flowId: z.string().min(1).nullable(),
  expiresAt: z.number().int(),
});

const recordSchema = newTokenSchema.extend({
  serial: z.number().int().positive(),
  // Records written before generations existed read as '' and are refused like any other.
  generation: z.string().default(''),
});

const lookupReply = z.union([
  z.tuple([z.literal('unknown')]),
  z.tuple([z.enum(['live', 'used']), z.string()]),
]);

const counter = z.coerce.number().int().nonnegative();

const RUN_ID = /^run_id:([0-9a-f]+)/m;

async function clusterRunIds(cluster: Cluster): Promise<string> {
  const ids = await Promise.all(
    cluster.nodes('master').map(async (node) => {
      const found = RUN_ID.exec(await node.info('server'))?.[1];
      if (!found) throw new CorruptRecordError('redis server info', 'no run_id');
      return found;
    }),
  );
  return ids.sort().join('');
}

export class RedisLinkTokenStore implements LinkTokenStore {
  /** The run id of the server, and the socket it was read on: a new socket means reading it again. */
  private serverRun: { socket: unknown; run: Promise<string> } | null = null;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
  ) {}

  /**
   * The server's run id, which a new redis-server process draws at random: a restart (with
   * or without a restored snapshot) or a failover changes it, and no data file carries it.
   * It is read again on every new connection, and tokens are judged after their record was
   * read, so a record from a restarted server is always compared with that server's run id.
   */
  generation(): Promise<string> {
    const redis = this.redis;
    // A cluster has no one socket and INFO goes to any node: every primary's run id counts,
    // read afresh, so a restart or failover of any of them ends the links, as on one node.
    if (redis instanceof Cluster) return guarded('link-token.generation', () => clusterRunIds(redis));
    const socket = redis.stream;
    if (this.serverRun === null || this.serverRun.socket !== socket) {
      const run = guarded('link-token.generation', async () => {
        const found = RUN_ID.exec(await this.redis.info('server'))?.[1];
        if (!found) throw new CorruptRecordError('redis server info', 'no run_id');
        return found;
      });
      this.serverRun = { socket, run };
      run.catch(() => {
        if (this.serverRun?.run === run) this.serverRun = null;
      });
    }
    return this.serverRun.run;
  }

  async save(tokenDigest: string, token: NewLinkToken): Promise<LinkTokenRecord> {
    assertValidDigest(tokenDigest);
    assertValidAccountId(token.accountId);
    const fields = newTokenSchema.parse(token);
    const lifetimeMs = fields.expiresAt - this.clock.now();
    if (lifetimeMs < 1) throw new RangeError('a link token must expire in the future');
    const generation = await this.generation();
    const serial = await guarded('link-token.save', async () => {
      try {
        return await SAVE.run(
          this.redis,
          [this.standingKey(fields.accountId)],
          [fields.kind, tokenDigest, lifetimeMs],
        );
      } catch (error) {
        throw asCorruptRecord('link standing', error);
      }
    });
    const record: LinkTokenRecord = { ...fields, serial: Number(serial), generation };
    const key = this.tokenKey(tokenDigest);
    // If this write fails the account already points at a token that does not exist:
    // the older link is dead and no new one went out, so the person asks again (fail closed).
    await guarded('link-token.save', () =>
      STORE.run(this.redis, [key], [JSON.stringify(record), lifetimeMs + LINK_RECORD_GRACE_MS]),
    );
    return record;
  }

  async find(tokenDigest: string): Promise<LinkTokenLookup> {
    assertValidDigest(tokenDigest);
    const [record, usedAt] = await guarded('link-token.find', async () => {
      try {
        return await this.redis.hmget(this.tokenKey(tokenDigest), 'record', 'usedAt');
      } catch (error) {
        throw asCorruptRecord('link token', error);
      }
    });
    if (record === null || record === undefined) return { status: 'unknown' };
    return { status: usedAt ? 'used' : 'live', record: parseRecord(record) };
  }

  async claim(tokenDigest: string): Promise<LinkTokenLookup> {
    assertValidDigest(tokenDigest);
    const raw = await guarded('link-token.claim', async () => {
      try {
        return await CLAIM.run(this.redis, [this.tokenKey(tokenDigest)], [this.clock.now()]);
      } catch (error) {
        throw asCorruptRecord('link token', error);
      }
    });
    const reply = lookupReply.safeParse(raw);
    if (!reply.success) throw new CorruptRecordError('link token', 'unexpected script reply');
    const [status, record] = reply.data;
    if (status === 'unknown') return { status };
    return { status, record: parseRecord(record) };
  }

  async standing(accountId: string): Promise<AccountLinkStanding> {
    assertValidAccountId(accountId);
    const fields = ['revokedThrough', ...LINK_KINDS.map((kind) => `newest:${kind}`)];
    const [revokedThrough, ...newest] = await guarded('link-token.standing', async () => {
      try {
        return await this.redis.hmget(this.standingKey(accountId), ...fields);
      } catch (error) {
        throw asCorruptRecord('link standing', error);
      }
    });
    const revoked = counter.safeParse(revokedThrough ?? 0);
    if (!revoked.success) throw new CorruptRecordError('link standing', 'revokedThrough is not a count');
    const standing: AccountLinkStanding = { newest: {}, revokedThrough: revoked.data };
    LINK_KINDS.forEach((kind: LinkKind, index) => {
      const digest = newest[index];
      if (digest) standing.newest[kind] = digest;
    });
    return standing;
  }

  async revokeAll(accountId: string): Promise<void> {
    assertValidAccountId(accountId);
    await guarded('link-token.revoke-all', async () => {
      try {
        await REVOKE_ALL.run(this.redis, [this.standingKey(accountId)], []);
      } catch (error) {
        throw asCorruptRecord('link standing', error);
      }
    });
  }

  private tokenKey(tokenDigest: string): string {
    return this.keys.global('lt', tokenDigest);
  }

  private standingKey(accountId: string): string {
    return this.keys.account(accountId, 'links');
  }
}

function parseRecord(text: string): LinkTokenRecord {
  return parseStoredRecord('link token', text, recordSchema);
}
