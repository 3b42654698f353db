import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { CorruptRecordError } from '../../core/errors.js';
import {
  assertValidCodeIds,
  assertValidDigest,
  CODE_COUNT_WINDOW_MS,
  CODE_LOCK_HISTORY_MS,
  CODE_RECORD_RETENTION_MS,
  type CodeChannel,
  type CodeRules,
  type CodeStatus,
  type CodeStore,
  type StoreIssueRequest,
  type StoreIssueResult,
  type StoreVerifyRequest,
  type StoreVerifyResult,
} from '../../ports/code-store.js';
import { asCorruptRecord, CachedScript } from './cached-script.js';
import { guarded, type RedisClient } from './connection.js';
import type { RedisKeys } from './keys.js';

/*
 * Keys of one account, all under its {acct:ID} hash tag so each script touches one slot:
 *   codes               hash   flowId -> record `state|attempts|resendAt|expiresAt|retainUntil|binding|digest`
 *                              (records written before this form are JSON and still read)
 *   code-sends:<chan>   zset   one member per send, scored by its time
 *   code-failures       zset   one member per wrong try, scored by its time
 *   code-lock           string the time the lock ends
 *   code-locks          zset   one member per lock, scored by its start (escalation history)
 * Times in records are logical (the injected clock); Redis TTLs only do the cleanup.
 */

/** How many characters of each digest a record keeps. */
const DIGEST_KEPT = 22;

/**
 * Helpers shared by the scripts. Numbers are written with %d: tostring would use %.14g.
 * A record keeps the first DIGEST_KEPT characters of each digest (132 bits: nothing to guess
 * or collide with), and a digest matches when it begins with what the record kept, so
 * records written with whole digests still match.
 */
const LUA_HELPERS = `
local function fmt(n) return string.format('%d', n) end
local function kept(digest) return string.sub(digest, 1, ${DIGEST_KEPT}) end
local function matches(stored, digest) return #stored > 0 and stored == string.sub(digest, 1, #stored) end
local function decode(raw)
  if string.sub(raw, 1, 1) == '{' then
    local ok, r = pcall(cjson.decode, raw)
    if not ok or type(r) ~= 'table' or type(r.binding) ~= 'string' or type(r.digest) ~= 'string'
      or type(r.resendAt) ~= 'number' or type(r.expiresAt) ~= 'number'
      or type(r.retainUntil) ~= 'number' or type(r.attempts) ~= 'number' or type(r.state) ~= 'string' then
      return nil
    end
    return r
  end
  local state, attempts, resendAt, expiresAt, retainUntil, binding, digest =
    string.match(raw, '^(%a+)|(%d+)|(%d+)|(%d+)|(%d+)|([%w_-]+)|([%w_-]*)$')
  if not state then return nil end
  return { state = state, attempts = tonumber(attempts), resendAt = tonumber(resendAt),
    expiresAt = tonumber(expiresAt), retainUntil = tonumber(retainUntil), binding = binding, digest = digest }
end
local function encode(r)
  return string.format('%s|%d|%d|%d|%d|%s|%s',
    r.state, r.attempts, r.resendAt, r.expiresAt, r.retainUntil, r.binding, r.digest)
end
local function lockedUntil(key)
  local raw = redis.call('GET', key)
  if not raw then return 0 end
  return tonumber(raw)
end
`;

/**
 * KEYS: codes, sends of the channel, lock.
 * ARGV: now, flowId, bindingDigest, codeDigest, ttlMs, cooldownMs, sendsPerHour, windowMs,
 * retentionMs, sendMember.
 * Returns {'issued', expiresAt, resendAt} or {'locked'|'cooldown'|'send-limit', retryAt}.
 */
const ISSUE = new CachedScript(`${LUA_HELPERS}
local now = tonumber(ARGV[1])
local locked = lockedUntil(KEYS[3])
if not locked then return redis.error_reply('CORRUPT code lock') end
if locked > now then return {'locked', fmt(locked)} end

local raw = redis.call('HGET', KEYS[1], ARGV[2])
if raw then
  local previous = decode(raw)
  if not previous then return redis.error_reply('CORRUPT code record for flow ' .. ARGV[2]) end
  if previous.retainUntil > now and matches(previous.binding, ARGV[3]) and now < previous.resendAt then
    return {'cooldown', fmt(previous.resendAt)}
  end
end

local window = tonumber(ARGV[8])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', fmt(now - window))
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[7]) then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {'send-limit', fmt(tonumber(oldest[2]) + window)}
end
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[10])
redis.call('PEXPIRE', KEYS[2], ARGV[8])

local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local stale = decode(fields[i + 1])
  if stale and stale.retainUntil <= now then redis.call('HDEL', KEYS[1], fields[i]) end
end
local expiresAt = now + tonumber(ARGV[5])
local resendAt = now + tonumber(ARGV[6])
local retainUntil = math.max(expiresAt + tonumber(ARGV[9]), resendAt)
redis.call('HSET', KEYS[1], ARGV[2], encode({
  binding = kept(ARGV[3]), digest = kept(ARGV[4]), resendAt = resendAt,
  expiresAt = expiresAt, retainUntil = retainUntil, attempts = 0, state = 'live' }))
-- Only ever lengthen: the hash also holds other flows' records.
if redis.call('PTTL', KEYS[1]) < retainUntil - now then
  redis.call('PEXPIRE', KEYS[1], fmt(retainUntil - now))
end
return {'issued', fmt(expiresAt), fmt(resendAt)}
`);

const KILL_LIVE = `
local function killLive(key, now)
  local killed = 0
  local fields = redis.call('HGETALL', key)
  for i = 1, #fields, 2 do
    local r = decode(fields[i + 1])
    if r and r.state == 'live' then
      if now < r.expiresAt then killed = killed + 1 end
      r.state = 'revoked'
      r.digest = ''
      redis.call('HSET', key, fields[i], encode(r))
    end
  end
  return killed
end
`;

/**
 * Counts the attempt, compares and consumes in one step, so parallel submissions see
 * one success and wrong tries can never be counted past the limit. A lock keeps the
 * failures and doubles with every earlier lock in the history window.
 * KEYS: codes, failures, lock, lock history.
 * ARGV: now, flowId, codeDigest, maxAttempts, failuresPerHour, lockMs, windowMs, failureMember,
 * historyMs.
 * Returns {'ok'|'exhausted'|'expired'|'none'} or {'wrong', attemptsLeft} or {'locked', retryAt}
 * or, when this try locked, {'locked', retryAt, lockNumber}.
 */
const VERIFY = new CachedScript(`${LUA_HELPERS}${KILL_LIVE}
local now = tonumber(ARGV[1])
local locked = lockedUntil(KEYS[3])
if not locked then return redis.error_reply('CORRUPT code lock') end
if locked > now then return {'locked', fmt(locked)} end

local raw = redis.call('HGET', KEYS[1], ARGV[2])
if not raw then return {'none'} end
local record = decode(raw)
if not record then return redis.error_reply('CORRUPT code record for flow ' .. ARGV[2]) end
if record.state ~= 'live' or record.retainUntil <= now then return {'none'} end
if now >= record.expiresAt then return {'expired'} end

if matches(record.digest, ARGV[3]) then
  record.state = 'used'
  record.digest = ''
  redis.call('HSET', KEYS[1], ARGV[2], encode(record))
  return {'ok'}
end

record.attempts = record.attempts + 1
local window = tonumber(ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', fmt(now - window))
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[8])
redis.call('PEXPIRE', KEYS[2], ARGV[7])
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then
  local history = tonumber(ARGV[9])
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', fmt(now - history))
  local earlier = redis.call('ZCARD', KEYS[4])
  local lockMs = math.min(tonumber(ARGV[6]) * (2 ^ earlier), history)
  local lockEnds = now + lockMs
  redis.call('SET', KEYS[3], fmt(lockEnds), 'PX', fmt(lockMs))
  redis.call('ZADD', KEYS[4], ARGV[1], ARGV[8])
  redis.call('PEXPIRE', KEYS[4], ARGV[9])
  killLive(KEYS[1], now)
  return {'locked', fmt(lockEnds), fmt(earlier + 1)}
end
if record.attempts >= tonumber(ARGV[4]) then
  record.state = 'exhausted'
  record.digest = ''
  redis.call('HSET', KEYS[1], ARGV[2], encode(record))
  return {'exhausted'}
end
redis.call('HSET', KEYS[1], ARGV[2], encode(record))
return {'wrong', fmt(tonumber(ARGV[4]) - record.attempts)}
`);

/** KEYS: codes. ARGV: now. Returns how many codes could still have been entered. */
const REVOKE_ALL = new CachedScript(`${LUA_HELPERS}${KILL_LIVE}
return killLive(KEYS[1], tonumber(ARGV[1]))
`);

const issueReply = z.union([
  z.tuple([z.literal('issued'), z.coerce.number().int(), z.coerce.number().int()]),
  z.tuple([z.enum(['locked', 'cooldown', 'send-limit']), z.coerce.number().int()]),
]);

const verifyReply = z.union([
  z.tuple([z.literal('locked'), z.coerce.number().int(), z.coerce.number().int().positive()]),
  z.tuple([z.enum(['ok', 'exhausted', 'expired', 'none'])]),
  z.tuple([z.enum(['wrong', 'locked']), z.coerce.number().int()]),
]);

const storedRecord = z.object({
  binding: z.string(),
  digest: z.string(),
  resendAt: z.number().int(),
  expiresAt: z.number().int(),
  retainUntil: z.number().int(),
  attempts: z.number().int().nonnegative(),
  state: z.enum(['live', 'used', 'exhausted', 'revoked']),
});

/** A send's or a failure's member in its sorted set: unique among the account's, and kept an hour. */
const uniqueMember = (): string => randomBytes(9).toString('base64url');

export class RedisCodeStore implements CodeStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
    private readonly rules: CodeRules,
  ) {}

  async issue(request: StoreIssueRequest): Promise<StoreIssueResult> {
    assertValidCodeIds(request.accountId, request.flowId);
    assertValidDigest(request.bindingDigest);
    assertValidDigest(request.codeDigest);
    const { accountId, channel } = request;
    const raw = await this.run(
      'codes.issue',
      ISSUE,
      [this.codesKey(accountId), this.sendsKey(accountId, channel), this.lockKey(accountId)],
      [
        this.clock.now(),
        request.flowId,
        request.bindingDigest,
        request.codeDigest,
        this.rules.ttlMs,
        this.rules.resendCooldownMs,
        this.rules.sendsPerHour,
        CODE_COUNT_WINDOW_MS,
        CODE_RECORD_RETENTION_MS,
        uniqueMember(),
      ],
    );
    const reply = parseReply(issueReply, raw);
    if (reply[0] === 'issued') return { outcome: 'issued', expiresAt: reply[1], resendAvailableAt: reply[2] };
    return { outcome: reply[0], retryAt: reply[1] };
  }

  async verify(request: StoreVerifyRequest): Promise<StoreVerifyResult> {
    assertValidCodeIds(request.accountId, request.flowId);
    assertValidDigest(request.codeDigest);
    const { accountId } = request;
    const raw = await this.run(
      'codes.verify',
      VERIFY,
      [
        this.codesKey(accountId),
        this.failuresKey(accountId),
        this.lockKey(accountId),
        this.lockHistoryKey(accountId),
      ],
      [
        this.clock.now(),
        request.flowId,
        request.codeDigest,
        this.rules.maxAttempts,
        this.rules.failuresPerHour,
        this.rules.lockMs,
        CODE_COUNT_WINDOW_MS,
        uniqueMember(),
        CODE_LOCK_HISTORY_MS,
      ],
    );
    const reply = parseReply(verifyReply, raw);
    if (reply.length === 3) return { outcome: 'locked', retryAt: reply[1], lockNumber: reply[2] };
    switch (reply[0]) {
      case 'wrong':
        return { outcome: 'wrong', attemptsLeft: reply[1] };
      case 'locked':
        return { outcome: 'locked', retryAt: reply[1] };
      default:
        return { outcome: reply[0] };
    }
  }

  async lockedUntil(accountId: string): Promise<number | null> {
    assertValidCodeIds(accountId);
    const raw = await guarded('codes.locked-until', () => this.redis.get(this.lockKey(accountId)));
    if (raw === null) return null;
    const until = Number(raw);
    if (!Number.isSafeInteger(until))
      throw new CorruptRecordError('one-time code', 'code lock is not a time');
    return until > this.clock.now() ? until : null;
  }

  async status(accountId: string, flowId: string, bindingDigest: string): Promise<CodeStatus | null> {
    assertValidCodeIds(accountId, flowId);
    const raw = await guarded('codes.status', () => this.redis.hget(this.codesKey(accountId), flowId));
    if (raw === null) return null;
    const record = parseRecord(raw, flowId);
    const now = this.clock.now();
    if (record.state !== 'live' || !keptOf(record.binding, bindingDigest) || now >= record.expiresAt)
      return null;
    return { expiresAt: record.expiresAt, resendAvailableAt: record.resendAt };
  }

  async revokeAll(accountId: string): Promise<number> {
    assertValidCodeIds(accountId);
    const raw = await this.run(
      'codes.revoke-all',
      REVOKE_ALL,
      [this.codesKey(accountId)],
      [this.clock.now()],
    );
    return parseReply(z.number().int().nonnegative(), raw);
  }

  async unlock(accountId: string): Promise<void> {
    assertValidCodeIds(accountId);
    await guarded('codes.unlock', () =>
      this.redis.del(this.lockKey(accountId), this.failuresKey(accountId), this.lockHistoryKey(accountId)),
    );
  }

  private run(operation: string, script: CachedScript, keys: string[], args: (string | number)[]) {
    return guarded(operation, async () => {
      try {
        return await script.run(this.redis, keys, args);
      } catch (error) {
        throw asCorruptRecord('one-time code', error);
      }
    });
  }

  private codesKey(accountId: string): string {
    return this.keys.account(accountId, 'codes');
  }

  private sendsKey(accountId: string, channel: CodeChannel): string {
    return this.keys.account(accountId, 'code-sends', channel);
  }

  private failuresKey(accountId: string): string {
    return this.keys.account(accountId, 'code-failures');
  }

  private lockKey(accountId: string): string {
    return this.keys.account(accountId, 'code-lock');
  }

  private lockHistoryKey(accountId: string): string {
    return this.keys.account(accountId, 'code-locks');
  }
}

function parseReply<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new CorruptRecordError('one-time code', 'unexpected script reply');
  return parsed.data;
}

const COMPACT_RECORD = /^([a-z]+)\|(\d+)\|(\d+)\|(\d+)\|(\d+)\|([\w-]+)\|([\w-]*)$/;

function parseRecord(raw: string, flowId: string): z.infer<typeof storedRecord> {
  const compact = COMPACT_RECORD.exec(raw);
  const fields: unknown = compact
    ? {
        state: compact[1],
        attempts: Number(compact[2]),
        resendAt: Number(compact[3]),
        expiresAt: Number(compact[4]),
        retainUntil: Number(compact[5]),
        binding: compact[6],
        digest: compact[7],
      }
    : parseJson(raw);
  const parsed = storedRecord.safeParse(fields);
  if (!parsed.success)
    throw new CorruptRecordError('one-time code', `record for flow ${flowId} has another shape`);
  return parsed.data;
}

/** A record written before the compact form: JSON; undefined when it is not. */
function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether `stored` is what a record kept of `digest` (see LUA_HELPERS). */
function keptOf(stored: string, digest: string): boolean {
  return stored !== '' && digest.startsWith(stored);
}
