import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import {
  assertValidAccountId,
  assertValidDigest,
  LINK_RECORD_GRACE_MS,
  type AccountLinkStanding,
  type LinkTokenLookup,
  type LinkTokenRecord,
  type LinkTokenStore,
  type NewLinkToken,
} from '../../ports/link-token-store.js';

interface StoredToken {
  record: LinkTokenRecord;
  used: boolean;
  keepUntil: number;
}

interface StoredStanding {
  seq: number;
  standing: AccountLinkStanding;
  keepUntil: number;
}

/**
 * The in-process twin of RedisLinkTokenStore: the same lifetimes, measured on the clock
 * (entries are dropped when read after they lapse). Every method runs to completion
 * without awaiting, which is what makes `claim` single use here.
 */
export class MemoryLinkTokenStore implements LinkTokenStore {
  private readonly tokens = new Map<string, StoredToken>();
  private readonly accounts = new Map<string, StoredStanding>();
  /** The data lives exactly as long as this object, so one generation for its whole life. */
  private readonly life = randomBytes(8).toString('hex');

  constructor(private readonly clock: Clock) {}

  async save(tokenDigest: string, token: NewLinkToken): Promise<LinkTokenRecord> {
    assertValidDigest(tokenDigest);
    assertValidAccountId(token.accountId);
    const now = this.clock.now();
    if (token.expiresAt - now < 1) throw new RangeError('a link token must expire in the future');
    const account = this.liveAccount(token.accountId) ?? {
      seq: 0,
      standing: { newest: {}, revokedThrough: 0 },
      keepUntil: now,
    };
    account.seq += 1;
    account.standing.newest[token.kind] = tokenDigest;
    account.keepUntil = Math.max(account.keepUntil, token.expiresAt);
    this.accounts.set(token.accountId, account);
    const record: LinkTokenRecord = { ...token, serial: account.seq, generation: this.life };
    this.tokens.set(tokenDigest, {
      record,
      used: false,
      keepUntil: token.expiresAt + LINK_RECORD_GRACE_MS,
    });
    return { ...record };
  }

  async find(tokenDigest: string): Promise<LinkTokenLookup> {
    assertValidDigest(tokenDigest);
    const stored = this.liveToken(tokenDigest);
    if (!stored) return { status: 'unknown' };
    return { status: stored.used ? 'used' : 'live', record: { ...stored.record } };
  }

  async claim(tokenDigest: string): Promise<LinkTokenLookup> {
    assertValidDigest(tokenDigest);
    const stored = this.liveToken(tokenDigest);
    if (!stored) return { status: 'unknown' };
    const status = stored.used ? 'used' : 'live';
    stored.used = true;
    return { status, record: { ...stored.record } };
  }

  async standing(accountId: string): Promise<AccountLinkStanding> {
    assertValidAccountId(accountId);
    const account = this.liveAccount(accountId);
    if (!account) return { newest: {}, revokedThrough: 0 };
    return { newest: { ...account.standing.newest }, revokedThrough: account.standing.revokedThrough };
  }

  async revokeAll(accountId: string): Promise<void> {
    assertValidAccountId(accountId);
    const account = this.liveAccount(accountId);
    if (account) account.standing.revokedThrough = account.seq;
  }

  async generation(): Promise<string> {
    return this.life;
  }

  private liveToken(tokenDigest: string): StoredToken | undefined {
    const stored = this.tokens.get(tokenDigest);
    if (stored && stored.keepUntil <= this.clock.now()) {
      this.tokens.delete(tokenDigest);
      return undefined;
    }
    return stored;
  }

  private liveAccount(accountId: string): StoredStanding | undefined {
    const stored = this.accounts.get(accountId);
    if (stored && stored.keepUntil <= this.clock.now()) {
      this.accounts.delete(accountId);
      return undefined;
    }
    return stored;
  }
}
