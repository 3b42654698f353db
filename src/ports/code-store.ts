import type { CodeRules } from '../config/config.js';

export type { CodeRules };

/**
 * Storage for one-time codes. The store never sees a code: callers hand it keyed digests
 * (see src/services/codes.ts) and it keeps the rules that must hold atomically — one live
 * code per (account, flow), resend cooldown, sends per hour per channel, attempts per
 * code, the account's failure counter and its escalating lock. A lock does not wipe the
 * failure counter: the first wrong try after a lock ends locks again, for twice as long.
 * Time comes from the adapter's clock.
 */

export const CODE_PURPOSES = [
  'step-up',
  'contact-mobile',
  'security-mobile',
  'contact-email',
  'verification-email',
  'login-email',
  'account-link',
  'reset-identity',
] as const;

export type CodePurpose = (typeof CODE_PURPOSES)[number];

export const CODE_CHANNELS = ['sms', 'email'] as const;

export type CodeChannel = (typeof CODE_CHANNELS)[number];

/** Everything a code is bound to: it confirms exactly this and nothing else. */
export interface CodeBinding {
  accountId: string;
  flowId: string;
  purpose: CodePurpose;
  /** Where the code goes: an E.164 number or an email address. */
  target: string;
  channel: CodeChannel;
}

export interface StoreIssueRequest {
  accountId: string;
  flowId: string;
  channel: CodeChannel;
  /** Keyed digest of the binding without the code: tells a resend from a new code. */
  bindingDigest: string;
  /** Keyed digest of the binding and the code: the only form in which the code is kept. */
  codeDigest: string;
}

export type StoreIssueResult =
  | { outcome: 'issued'; expiresAt: number; resendAvailableAt: number }
  | { outcome: 'cooldown' | 'send-limit' | 'locked'; retryAt: number };

export interface StoreVerifyRequest {
  accountId: string;
  flowId: string;
  codeDigest: string;
}

export type StoreVerifyResult =
  | { outcome: 'ok' }
  | { outcome: 'wrong'; attemptsLeft: number }
  | { outcome: 'exhausted' }
  | { outcome: 'expired' }
  | { outcome: 'none' }
  /**
   * `lockNumber` is present when this very try started the lock: how many locks the account
   * has had within CODE_LOCK_HISTORY_MS, this one included (1 is the first).
   */
  | { outcome: 'locked'; retryAt: number; lockNumber?: number };

/** Sends per channel and failures per account are counted over this rolling window. */
export const CODE_COUNT_WINDOW_MS = 60 * 60 * 1000;

/**
 * Locks escalate: each lock within this window doubles the next one (NIST 63B wants
 * guessing bounded, not just slowed), and a lock never lasts longer than the window.
 */
export const CODE_LOCK_HISTORY_MS = 24 * 60 * 60 * 1000;

/** The length of the lock that follows `earlierLocks` locks within CODE_LOCK_HISTORY_MS. */
export function escalatedLockMs(baseLockMs: number, earlierLocks: number): number {
  return Math.min(baseLockMs * 2 ** earlierLocks, CODE_LOCK_HISTORY_MS);
}

/**
 * How long a code's record outlives the code, so a late entry hears "expired" rather
 * than "no code", and the resend cooldown survives a used or exhausted code.
 */
export const CODE_RECORD_RETENTION_MS = 60 * 60 * 1000;

const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const FLOW_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The account id is part of the hash tag: a brace or colon in it would move the slot. */
export function assertValidCodeIds(accountId: string, flowId?: string): void {
  if (!ACCOUNT_ID_PATTERN.test(accountId)) throw new Error(`invalid account id for a code: ${accountId}`);
  if (flowId !== undefined && !FLOW_ID_PATTERN.test(flowId)) {
    throw new Error(`invalid flow id for a code: ${flowId}`);
  }
}

const DIGEST_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** Digests are hex or base64url: the Redis adapter writes them into JSON unescaped. */
export function assertValidDigest(digest: string): void {
  if (!DIGEST_PATTERN.test(digest)) throw new Error('a code digest must be hex or base64url');
}

export interface CodeStatus {
  expiresAt: number;
  resendAvailableAt: number;
}

export interface CodeStore {
  /**
   * Stores a new code for the flow, killing the previous one. Refused while the account
   * is locked, while the same binding is within its resend cooldown, or when the
   * account has used its sends for this channel in the past hour.
   */
  issue(request: StoreIssueRequest): Promise<StoreIssueResult>;
  /** Counts the attempt, compares and consumes the code, all in one atomic step. */
  verify(request: StoreVerifyRequest): Promise<StoreVerifyResult>;
  /** The flow's live code, if it was issued for this binding. */
  status(accountId: string, flowId: string, bindingDigest: string): Promise<CodeStatus | null>;
  /** Kills every live code of the account; returns how many were live. */
  revokeAll(accountId: string): Promise<number>;
  /** When the account's code lock ends; null when it is not locked. */
  lockedUntil(accountId: string): Promise<number | null>;
  /** Support action: lifts the lock and clears the failure counter and the lock history. */
  unlock(accountId: string): Promise<void>;
}
