import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { CorruptRecordError, TemporarilyUnavailableError } from '../../core/errors.js';
import { asCorruptRecord, CachedScript } from './cached-script.js';
import { guarded, type RedisClient } from './connection.js';

/**
 * Compare-and-set over several keys of ONE slot: every check (key must hold exactly this
 * text, or be absent) passes or nothing is written. ARGV[1] is JSON:
 * { checks: [[keyIndex, expected|null]], writes: [[keyIndex, value|null, pxMs|null]] }.
 * Returns 0 when written, else the 1-based number of the first failed check.
 */
const TRANSACTION = new CachedScript(`
local spec = cjson.decode(ARGV[1])
for n, check in ipairs(spec.checks) do
  local current = redis.call('GET', KEYS[check[1]])
  local expected = check[2]
  if expected == cjson.null then
    if current then return n end
  elseif current ~= expected then
    return n
  end
end
for _, write in ipairs(spec.writes) do
  local key = KEYS[write[1]]
  if write[2] == cjson.null then
    redis.call('DEL', key)
  elseif write[3] ~= cjson.null then
    redis.call('SET', key, write[2], 'PX', write[3])
  else
    redis.call('SET', key, write[2])
  end
end
return 0
`);

/** Takes a free index entry, or refreshes the caller's own one with its new nonce. */
const CLAIM_INDEX = new CachedScript(`
local current = redis.call('GET', KEYS[1])
if current and string.match(current, '^([^|]*)|') ~= ARGV[1] then return current end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2])
return 'claimed'
`);

const COMPARE_AND_SET = new CachedScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`);

const COMPARE_AND_DELETE = new CachedScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`);

export interface Transaction {
  checks: Array<[key: string, expected: string | null]>;
  writes: Array<[key: string, value: string | null, pxMs?: number]>;
}

/** Runs one single-slot transaction; 0 = written, n = the n-th check failed. */
export async function runTransaction(
  redis: RedisClient,
  operation: string,
  what: string,
  transaction: Transaction,
): Promise<number> {
  const keys: string[] = [];
  const slot = (key: string) => {
    const found = keys.indexOf(key);
    if (found >= 0) return found + 1;
    keys.push(key);
    return keys.length;
  };
  const spec = JSON.stringify({
    checks: transaction.checks.map(([key, expected]) => [slot(key), expected]),
    writes: transaction.writes.map(([key, value, pxMs]) => [slot(key), value, pxMs ?? null]),
  });
  const reply = await scriptCall(operation, what, () => TRANSACTION.run(redis, keys, [spec]));
  if (typeof reply !== 'number') throw new CorruptRecordError(what, 'unexpected transaction reply');
  return reply;
}

async function scriptCall<T>(operation: string, what: string, run: () => Promise<T>): Promise<T> {
  return guarded(operation, async () => {
    try {
      return await run();
    } catch (error) {
      throw asCorruptRecord(what, error);
    }
  });
}

/** One uniqueness rule: which global index entry a value has, and how an account shows it holds it. */
export interface ClaimKind {
  name: string;
  indexKey(value: string): string;
  ticketKey(accountId: string, value: string): string;
  recordKey(accountId: string): string;
  /** Whether the account record (raw text, already known to exist) holds the value. */
  holds(accountId: string, recordRaw: string, value: string): boolean;
}

/** How long a claim may stay between "index taken" and "record written" before others may fence it. */
export const CLAIM_LEASE_MS = 30_000;

const ATTEMPTS = 5;

/**
 * Global uniqueness across Redis Cluster slots. A value (login email, Slack user, document
 * hash) has one global index key naming its owner; the owner's record lives in the
 * account's slot {acct:ID}. No script may touch both, so a claim takes three steps:
 *
 *   1. ticket: the account writes `nonce|time` (PX = lease) in ITS slot;
 *   2. index:  the index is set to `accountId|nonce` if free or already the account's;
 *   3. commit: the record adopts the value in one transaction that also requires the
 *              ticket to be unchanged, and deletes it.
 *
 * Invariant: if a record holds a value, the index names that account. The index only
 * moves away from account A after A's slot was checked in one transaction that saw A not
 * holding the value and no live ticket, and deleted any expired ticket; the move itself is
 * a compare-and-set on the exact `A|nonce` seen. A commit by A needs a ticket written after
 * that check, and any such ticket is followed by a claim that rewrites the index with a new
 * nonce before the commit, so the compare-and-set fails. Hence a crash between any two
 * steps can leave only an index entry whose account does not hold the value: lookups
 * ignore it (they confirm with the record), and the next claimant fences and takes it once
 * the lease is over. It can never leave two records holding one value.
 */
export class DirectoryClaims {
  constructor(
    private readonly redis: RedisClient,
    private readonly clock: Clock,
  ) {}

  /**
   * Steps 1 and 2. Returns the ticket text the commit must check, or 'taken' when
   * another account holds the value or is in the middle of claiming it.
   */
  async acquire(kind: ClaimKind, value: string, accountId: string): Promise<string | 'taken'> {
    const ticketKey = kind.ticketKey(accountId, value);
    const indexKey = kind.indexKey(value);
    let ticket = '';
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const nonce = randomUUID();
      ticket = `${nonce}|${this.clock.now()}`;
      await guarded(`${kind.name}.claim`, () => this.redis.set(ticketKey, ticket, 'PX', CLAIM_LEASE_MS));
      const reply = await scriptCall(`${kind.name}.claim`, `${kind.name} index`, () =>
        CLAIM_INDEX.run(this.redis, [indexKey], [accountId, nonce]),
      );
      if (reply === 'claimed') return ticket;
      if (typeof reply !== 'string') throw new CorruptRecordError(`${kind.name} index`, 'unexpected reply');
      const state = await this.ownership(kind, value, ownerOf(kind, reply));
      if (state === 'held' || state === 'in-flight') {
        await this.dropTicket(kind, value, accountId, ticket);
        return 'taken';
      }
      if (state === 'stale') {
        const moved = await scriptCall(`${kind.name}.claim`, `${kind.name} index`, () =>
          COMPARE_AND_SET.run(this.redis, [indexKey], [reply, `${accountId}|${nonce}`]),
        );
        if (moved === 1) return ticket;
      }
    }
    await this.dropTicket(kind, value, accountId, ticket);
    throw new TemporarilyUnavailableError(`${kind.name}.claim (contended)`);
  }

  /** Whether the ticket an acquire returned is still in place (i.e. nobody fenced it). */
  async ticketIsLive(kind: ClaimKind, value: string, accountId: string, ticket: string): Promise<boolean> {
    const current = await guarded(`${kind.name}.claim`, () =>
      this.redis.get(kind.ticketKey(accountId, value)),
    );
    return current === ticket;
  }

  /** Removes the account's ticket if it is still this one (after a refusal or a commit). */
  async dropTicket(kind: ClaimKind, value: string, accountId: string, ticket: string): Promise<void> {
    const key = kind.ticketKey(accountId, value);
    await guarded(`${kind.name}.release`, () => COMPARE_AND_DELETE.run(this.redis, [key], [ticket]));
  }

  /**
   * Frees the index entry once the account no longer holds the value. Runs after the
   * record changed; a crash before it only leaves a stale entry the next claimant fences.
   */
  async release(kind: ClaimKind, value: string, accountId: string): Promise<void> {
    const indexKey = kind.indexKey(value);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await guarded(`${kind.name}.release`, () => this.redis.get(indexKey));
      if (current === null || ownerOf(kind, current) !== accountId) return;
      const state = await this.ownership(kind, value, accountId);
      if (state === 'held' || state === 'in-flight') return;
      if (state === 'stale') {
        await scriptCall(`${kind.name}.release`, `${kind.name} index`, () =>
          COMPARE_AND_DELETE.run(this.redis, [indexKey], [current]),
        );
        return;
      }
    }
  }

  /** The account the index entry names; callers confirm it with that account's record. */
  async indexedOwner(kind: ClaimKind, value: string): Promise<string | null> {
    const current = await guarded(`${kind.name}.lookup`, () => this.redis.get(kind.indexKey(value)));
    return current === null ? null : ownerOf(kind, current);
  }

  /**
   * Checks in the owner's slot whether it holds the value, is claiming it (live ticket),
   * or neither — in which case the check is a fence: any expired ticket is deleted in
   * the same transaction so it can never commit.
   */
  private async ownership(
    kind: ClaimKind,
    value: string,
    owner: string,
  ): Promise<'held' | 'in-flight' | 'stale' | 'changed'> {
    const recordKey = kind.recordKey(owner);
    const ticketKey = kind.ticketKey(owner, value);
    const [record, ticket] = await guarded(`${kind.name}.claim`, () => this.redis.mget(recordKey, ticketKey));
    if (record !== null && record !== undefined && kind.holds(owner, record, value)) return 'held';
    const ticketText = ticket ?? null;
    if (ticketText !== null && ticketTime(ticketText) + CLAIM_LEASE_MS > this.clock.now()) return 'in-flight';
    const failed = await runTransaction(this.redis, `${kind.name}.claim`, `account ${owner}`, {
      checks: [
        [recordKey, record ?? null],
        [ticketKey, ticketText],
      ],
      writes: ticketText === null ? [] : [[ticketKey, null]],
    });
    return failed === 0 ? 'stale' : 'changed';
  }
}

function ownerOf(kind: ClaimKind, indexValue: string): string {
  const match = /^(\d+)\|[0-9a-f-]+$/.exec(indexValue);
  if (!match?.[1]) throw new CorruptRecordError(`${kind.name} index`, 'entry does not name an account');
  return match[1];
}

/** An unreadable ticket counts as expired: it is ours, transient, and fencing it is safe. */
function ticketTime(ticket: string): number {
  const at = Number(ticket.split('|')[1]);
  return Number.isFinite(at) ? at : 0;
}
