import type {
  Account,
  CreateAccountInput,
  ProfilePatch,
  SubmissionInput,
  VerificationSubmission,
} from '../domain/account.js';
import type { DecisionInput, PasswordChange } from '../domain/account-rules.js';

/**
 * The accounts themselves, with three uniqueness rules: a login email (case-insensitive)
 * belongs to at most one account, a Slack user links to at most one account, and a
 * document number verifies at most one account. Every method is atomic.
 *
 * Accounts, their submissions and the uniqueness indexes are durable data: they carry NO
 * TTL, unlike every other key the app writes (codes, tokens, sessions, counters, dedupe).
 * Production Redis therefore needs AOF and `maxmemory-policy noeviction`.
 *
 * A record that does not parse throws CorruptRecordError naming the account; a store
 * outage throws TemporarilyUnavailableError. Invalid input (a malformed email, a
 * rejection without a reason) is a caller bug and throws RangeError, writing nothing.
 */
export interface AccountDirectory {
  /** Allocates the next account id. Throws LoginEmailTakenError when the email has an owner. */
  create(input: CreateAccountInput): Promise<Account>;
  getById(accountId: string): Promise<Account | null>;
  getByLoginEmail(email: string): Promise<Account | null>;
  getBySlackUser(teamId: string, userId: string): Promise<Account | null>;

  linkSlackUser(accountId: string, teamId: string, userId: string): Promise<LinkResult>;
  /** True when the link existed. */
  unlinkSlackUser(accountId: string, teamId: string, userId: string): Promise<boolean>;

  /** Editable fields (SPEC §3.2–3.6); throws UnknownAccountError for a missing account. */
  update(accountId: string, patch: ProfilePatch): Promise<Account>;
  changeLoginEmail(accountId: string, email: string): Promise<LoginEmailChange>;
  /** Stores the new hash, trims the history and returns the new credential version. */
  setPassword(accountId: string, change: PasswordChange): Promise<number>;
  /**
   * Swaps the current hash for one of the same password at a higher bcrypt cost, only if
   * `currentHash` is still current; the credential version stays. True when swapped.
   */
  upgradePasswordHash(accountId: string, currentHash: string, upgradedHash: string): Promise<boolean>;
  /** Revokes everything bound to the current credentials without changing them. */
  bumpCredentialVersion(accountId: string): Promise<number>;
  setSelfServiceLock(accountId: string, locked: boolean, reason?: string): Promise<Account>;

  /**
   * Claims the submission's document hash for this account and marks it pending. The same
   * account may submit the same document again; another account gets 'document-in-use'.
   */
  submit(accountId: string, submission: SubmissionInput): Promise<SubmitResult>;
  getSubmission(submissionId: string): Promise<VerificationSubmission | null>;
  /** Submissions waiting for review, oldest first. */
  listPending(): Promise<VerificationSubmission[]>;
  /**
   * Records the decision once; a second decision changes nothing and says so. A rejection
   * releases the document claim unless the account's approved submission holds it.
   */
  decide(submissionId: string, decision: DecisionInput): Promise<DecideResult>;
}

export type LinkResult = 'linked' | 'already-linked' | 'linked-elsewhere';

export type LoginEmailChange =
  { outcome: 'changed'; account: Account; previousLoginEmail: string | null } | { outcome: 'taken' };

export type SubmitResult =
  | { outcome: 'submitted'; account: Account; submission: VerificationSubmission }
  | { outcome: 'document-in-use' }
  /** One submission waits at a time; the person hears the expected decision date instead. */
  | { outcome: 'already-pending'; pendingSubmissionId: string };

export type DecideResult =
  | { outcome: 'decided'; account: Account; submission: VerificationSubmission }
  | { outcome: 'already-decided'; submission: VerificationSubmission }
  | { outcome: 'not-found' };

export class UnknownAccountError extends Error {
  readonly code = 'UNKNOWN_ACCOUNT';
  constructor(readonly accountId: string) {
    super(`No account with id ${accountId}.`);
    this.name = 'UnknownAccountError';
  }
}

export class LoginEmailTakenError extends Error {
  readonly code = 'LOGIN_EMAIL_TAKEN';
  constructor() {
    super('That login email already belongs to an account.');
    this.name = 'LoginEmailTakenError';
  }
}

/** The submission id format: the account id, a dash, 16 hex digits. */
export function newSubmissionId(accountId: string, randomHex: string): string {
  return `${accountId}-${randomHex}`;
}

/** Account ids are allocated from this base so they look like account numbers, not row ids. */
export const FIRST_ACCOUNT_ID = 1_000_001;

/**
 * Every account of an embedded directory, for `npm run accounts -- export`. An LDAP
 * directory has no such listing here: its own tools export it.
 */
export interface AccountListing {
  /** Oldest first. */
  listAccounts(): Promise<Account[]>;
}
