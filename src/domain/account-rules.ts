import {
  accountSchema,
  appIdFor,
  createAccountInputSchema,
  profilePatchSchema,
  submissionInputSchema,
  submissionSchema,
  type Account,
  type CreateAccountInput,
  type ProfilePatch,
  type SlackUserRef,
  type SubmissionInput,
  type VerificationSubmission,
} from './account.js';

/**
 * The account's state changes as pure functions, shared by every directory adapter so
 * the in-process store and Redis cannot drift apart. Each result is validated with the
 * read schema: a write that could not be read back is refused before it happens.
 */

export interface PasswordChange {
  hash: string;
  changedAt: number;
  /** How many hashes the history keeps, the new one included. */
  historySize: number;
}

export interface DecisionInput {
  decision: 'approved' | 'rejected';
  /** Required for a rejection: the person is told why and what to fix. */
  reason?: string;
  reviewer: string;
  at: number;
}

export function newAccount(accountId: string, input: CreateAccountInput, now: number): Account {
  const fields = parseOrRefuse('account', createAccountInputSchema, input);
  return checkedAccount({
    ...fields,
    accountId,
    appId: appIdFor(accountId),
    registeredAt: now,
    passwordHistory: fields.passwordHash ? [fields.passwordHash] : [],
    passwordChangedAt: fields.passwordHash ? now : null,
    credentialVersion: 1,
    verification: { status: 'unverified' },
    selfServiceLocked: false,
    lockedReason: null,
    lockedAt: null,
    slackUsers: [],
  });
}

export function withProfilePatch(account: Account, patch: ProfilePatch): Account {
  return checkedAccount({ ...account, ...parseOrRefuse('profile patch', profilePatchSchema, patch) });
}

export function withLoginEmail(account: Account, email: string): Account {
  return checkedAccount({ ...account, loginEmail: email.trim() });
}

export function withPassword(account: Account, change: PasswordChange): Account {
  if (!Number.isSafeInteger(change.historySize) || change.historySize < 0) {
    throw new RangeError(`password history size must be a whole number >= 0, got ${change.historySize}`);
  }
  return checkedAccount({
    ...account,
    passwordHash: change.hash,
    passwordHistory: [change.hash, ...account.passwordHistory].slice(0, change.historySize),
    passwordChangedAt: change.changedAt,
    credentialVersion: account.credentialVersion + 1,
  });
}

/**
 * Replaces a hash made at an old bcrypt cost by one of the same password at the current
 * cost: not a password change, so the version, the change time and the history order stay.
 * Null when the hash is no longer the current one (the password changed meanwhile).
 */
export function withUpgradedPasswordHash(
  account: Account,
  currentHash: string,
  upgradedHash: string,
): Account | null {
  if (account.passwordHash !== currentHash) return null;
  return checkedAccount({
    ...account,
    passwordHash: upgradedHash,
    passwordHistory: account.passwordHistory.map((hash) => (hash === currentHash ? upgradedHash : hash)),
  });
}

export function withNewCredentialVersion(account: Account): Account {
  return { ...account, credentialVersion: account.credentialVersion + 1 };
}

export function withSelfServiceLock(
  account: Account,
  locked: boolean,
  reason: string | undefined,
  now: number,
): Account {
  return locked
    ? { ...account, selfServiceLocked: true, lockedReason: reason ?? null, lockedAt: now }
    : { ...account, selfServiceLocked: false, lockedReason: null, lockedAt: null };
}

export function hasSlackUser(account: Account, ref: SlackUserRef): boolean {
  return account.slackUsers.some((user) => user.teamId === ref.teamId && user.userId === ref.userId);
}

export function withSlackUser(account: Account, ref: SlackUserRef): Account {
  if (hasSlackUser(account, ref)) return account;
  return checkedAccount({ ...account, slackUsers: [...account.slackUsers, ref] });
}

export function withoutSlackUser(account: Account, ref: SlackUserRef): Account {
  return {
    ...account,
    slackUsers: account.slackUsers.filter((user) => user.teamId !== ref.teamId || user.userId !== ref.userId),
  };
}

export type StartedSubmission =
  | { outcome: 'started'; account: Account; submission: VerificationSubmission }
  | { outcome: 'already-pending'; pendingSubmissionId: string };

/**
 * SPEC §3.10: unverified or rejected → pending; a verified account's change waits beside
 * its `verified` status. One submission waits at a time: the next one after the decision.
 */
export function startSubmission(
  account: Account,
  input: SubmissionInput,
  submissionId: string,
  now: number,
): StartedSubmission {
  const waiting = account.verification.pendingSubmissionId;
  if (waiting !== undefined) return { outcome: 'already-pending', pendingSubmissionId: waiting };
  const fields = parseOrRefuse('verification submission', submissionInputSchema, input);
  const submission = submissionSchema.parse({
    ...fields,
    id: submissionId,
    accountId: account.accountId,
    submittedAt: now,
    status: 'pending',
    decision: null,
  });
  const verification =
    account.verification.status === 'verified'
      ? { ...account.verification, pendingSubmissionId: submissionId }
      : { status: 'pending' as const, pendingSubmissionId: submissionId };
  return { outcome: 'started', account: { ...account, verification }, submission };
}

export type DecidedSubmission =
  | {
      outcome: 'decided';
      account: Account;
      submission: VerificationSubmission;
      /** Document hashes this account no longer holds: their uniqueness claims may go. */
      releasedDocumentHashes: string[];
    }
  | { outcome: 'already-decided'; submission: VerificationSubmission };

/**
 * Approval makes the submission the one `verified` rests on. Rejection keeps a verified
 * account verified (its old submission still holds) and otherwise marks it rejected.
 */
export function decideSubmission(
  account: Account,
  submission: VerificationSubmission,
  current: VerificationSubmission | null,
  input: DecisionInput,
): DecidedSubmission {
  if (submission.status !== 'pending') return { outcome: 'already-decided', submission };
  const reason = input.reason?.trim();
  if (input.decision === 'rejected' && !reason) {
    throw new RangeError('a rejection needs a reason: the person is told what to fix');
  }
  if (input.reviewer.trim() === '') throw new RangeError('a decision needs the reviewer who made it');

  const decided: VerificationSubmission = {
    ...submission,
    status: input.decision,
    decision: { reviewer: input.reviewer, at: input.at, ...(reason ? { reason } : {}) },
  };
  const { pendingSubmissionId: _pending, ...rest } = account.verification;
  let nextCurrent = current;
  let verification: Account['verification'];
  if (input.decision === 'approved') {
    nextCurrent = decided;
    verification = { status: 'verified', decidedAt: input.at, currentSubmissionId: submission.id };
  } else if (account.verification.status === 'verified') {
    verification = rest;
  } else {
    verification = { status: 'rejected', reason, decidedAt: input.at };
  }

  const heldBefore = new Set([current?.documentHash, submission.documentHash]);
  heldBefore.delete(nextCurrent?.documentHash);
  heldBefore.delete(undefined);
  return {
    outcome: 'decided',
    account: { ...account, verification },
    submission: decided,
    releasedDocumentHashes: [...heldBefore].filter((hash): hash is string => hash !== undefined),
  };
}

function checkedAccount(account: Account): Account {
  return parseOrRefuse('account', accountSchema, account);
}

interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: Issue[] } };
}

interface Issue {
  path: PropertyKey[];
  message: string;
}

/** Invalid data from a caller is a bug in that caller: refuse it loudly, write nothing. */
function parseOrRefuse<T>(what: string, schema: Parser<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .map((issue) => `${issue.path.map(String).join('.') || '(value)'}: ${issue.message}`)
    .join('; ');
  throw new RangeError(`invalid ${what}: ${detail}`);
}
