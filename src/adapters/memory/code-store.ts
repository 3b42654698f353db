import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import {
  assertValidCodeIds,
  assertValidDigest,
  CODE_COUNT_WINDOW_MS,
  CODE_LOCK_HISTORY_MS,
  CODE_RECORD_RETENTION_MS,
  escalatedLockMs,
  type CodeChannel,
  type CodeRules,
  type CodeStatus,
  type CodeStore,
  type StoreIssueRequest,
  type StoreIssueResult,
  type StoreVerifyRequest,
  type StoreVerifyResult,
} from '../../ports/code-store.js';

interface CodeRecord {
  binding: string;
  /** Empty once the code is used, exhausted or revoked. */
  digest: string;
  issuedAt: number;
  resendAt: number;
  expiresAt: number;
  retainUntil: number;
  attempts: number;
  state: 'live' | 'used' | 'exhausted' | 'revoked';
}

interface AccountCodes {
  records: Map<string, CodeRecord>;
  sends: Map<CodeChannel, number[]>;
  failures: number[];
  lockedUntil: number;
  /** Start times of the locks within CODE_LOCK_HISTORY_MS. */
  locks: number[];
}

/** How often the state of accounts that never came back is dropped. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The in-process twin of RedisCodeStore, same rules to the millisecond. Each call runs
 * without an await between read and write, which is what makes it atomic here.
 */
export class MemoryCodeStore implements CodeStore {
  private readonly accounts = new Map<string, AccountCodes>();
  private nextSweepAt = 0;

  constructor(
    private readonly clock: Clock,
    private readonly rules: CodeRules,
  ) {}

  async issue(request: StoreIssueRequest): Promise<StoreIssueResult> {
    assertValidCodeIds(request.accountId, request.flowId);
    assertValidDigest(request.bindingDigest);
    assertValidDigest(request.codeDigest);
    const now = this.clock.now();
    const account = this.account(request.accountId, now);
    if (account.lockedUntil > now) return { outcome: 'locked', retryAt: account.lockedUntil };

    const previous = account.records.get(request.flowId);
    if (previous && previous.binding === request.bindingDigest && now < previous.resendAt) {
      return { outcome: 'cooldown', retryAt: previous.resendAt };
    }

    const sends = account.sends.get(request.channel) ?? [];
    if (sends.length >= this.rules.sendsPerHour) {
      return { outcome: 'send-limit', retryAt: Math.min(...sends) + CODE_COUNT_WINDOW_MS };
    }
    account.sends.set(request.channel, [...sends, now]);

    const expiresAt = now + this.rules.ttlMs;
    const resendAt = now + this.rules.resendCooldownMs;
    account.records.set(request.flowId, {
      binding: request.bindingDigest,
      digest: request.codeDigest,
      issuedAt: now,
      resendAt,
      expiresAt,
      retainUntil: Math.max(expiresAt + CODE_RECORD_RETENTION_MS, resendAt),
      attempts: 0,
      state: 'live',
    });
    return { outcome: 'issued', expiresAt, resendAvailableAt: resendAt };
  }

  async verify(request: StoreVerifyRequest): Promise<StoreVerifyResult> {
    assertValidCodeIds(request.accountId, request.flowId);
    assertValidDigest(request.codeDigest);
    const now = this.clock.now();
    const account = this.account(request.accountId, now);
    if (account.lockedUntil > now) return { outcome: 'locked', retryAt: account.lockedUntil };

    const record = account.records.get(request.flowId);
    if (!record || record.state !== 'live') return { outcome: 'none' };
    if (now >= record.expiresAt) return { outcome: 'expired' };
    if (sameDigest(record.digest, request.codeDigest)) {
      end(record, 'used');
      return { outcome: 'ok' };
    }

    record.attempts += 1;
    account.failures.push(now);
    if (account.failures.length >= this.rules.failuresPerHour) {
      account.lockedUntil = now + escalatedLockMs(this.rules.lockMs, account.locks.length);
      account.locks.push(now);
      killLive(account, now);
      return { outcome: 'locked', retryAt: account.lockedUntil, lockNumber: account.locks.length };
    }
    if (record.attempts >= this.rules.maxAttempts) {
      end(record, 'exhausted');
      return { outcome: 'exhausted' };
    }
    return { outcome: 'wrong', attemptsLeft: this.rules.maxAttempts - record.attempts };
  }

  async status(accountId: string, flowId: string, bindingDigest: string): Promise<CodeStatus | null> {
    assertValidCodeIds(accountId, flowId);
    const now = this.clock.now();
    const record = this.account(accountId, now).records.get(flowId);
    if (!record || record.state !== 'live' || record.binding !== bindingDigest || now >= record.expiresAt) {
      return null;
    }
    return { expiresAt: record.expiresAt, resendAvailableAt: record.resendAt };
  }

  async revokeAll(accountId: string): Promise<number> {
    assertValidCodeIds(accountId);
    const now = this.clock.now();
    return killLive(this.account(accountId, now), now);
  }

  async lockedUntil(accountId: string): Promise<number | null> {
    assertValidCodeIds(accountId);
    const until = this.account(accountId, this.clock.now()).lockedUntil;
    return until === 0 ? null : until;
  }

  async unlock(accountId: string): Promise<void> {
    assertValidCodeIds(accountId);
    const account = this.account(accountId, this.clock.now());
    account.lockedUntil = 0;
    account.failures = [];
    account.locks = [];
  }

  /** The account's state with everything past its lifetime already dropped. */
  private account(accountId: string, now: number): AccountCodes {
    this.sweep(now);
    let account = this.accounts.get(accountId);
    if (!account) {
      account = { records: new Map(), sends: new Map(), failures: [], lockedUntil: 0, locks: [] };
      this.accounts.set(accountId, account);
    }
    prune(account, now);
    return account;
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_EVERY_MS;
    for (const [accountId, account] of this.accounts) {
      prune(account, now);
      if (isEmpty(account)) this.accounts.delete(accountId);
    }
  }
}

function prune(account: AccountCodes, now: number): void {
  for (const [flowId, record] of account.records) {
    if (record.retainUntil <= now) account.records.delete(flowId);
  }
  for (const [channel, sends] of account.sends) {
    const recent = sends.filter((at) => at > now - CODE_COUNT_WINDOW_MS);
    if (recent.length === 0) account.sends.delete(channel);
    else account.sends.set(channel, recent);
  }
  account.failures = account.failures.filter((at) => at > now - CODE_COUNT_WINDOW_MS);
  if (account.lockedUntil <= now) account.lockedUntil = 0;
  account.locks = account.locks.filter((at) => at > now - CODE_LOCK_HISTORY_MS);
}

function isEmpty(account: AccountCodes): boolean {
  return (
    account.records.size === 0 &&
    account.sends.size === 0 &&
    account.failures.length === 0 &&
    account.lockedUntil === 0 &&
    account.locks.length === 0
  );
}

function end(record: CodeRecord, state: 'used' | 'exhausted' | 'revoked'): void {
  record.state = state;
  record.digest = '';
}

/** Revokes every live code; counts those that could still have been entered. */
function killLive(account: AccountCodes, now: number): number {
  let killed = 0;
  for (const record of account.records.values()) {
    if (record.state !== 'live') continue;
    if (now < record.expiresAt) killed += 1;
    end(record, 'revoked');
  }
  return killed;
}

function sameDigest(stored: string, given: string): boolean {
  const a = Buffer.from(stored, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
