import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { CorruptRecordError } from '../../core/errors.js';
import {
  accountIdOfSubmission,
  accountSchema,
  loginEmailKey,
  submissionSchema,
  type Account,
  type CreateAccountInput,
  type ProfilePatch,
  type SubmissionInput,
  type VerificationSubmission,
} from '../../domain/account.js';
import {
  decideSubmission,
  hasSlackUser,
  newAccount,
  startSubmission,
  withLoginEmail,
  withNewCredentialVersion,
  withoutSlackUser,
  withPassword,
  withProfilePatch,
  withUpgradedPasswordHash,
  withSelfServiceLock,
  withSlackUser,
  type DecisionInput,
  type PasswordChange,
} from '../../domain/account-rules.js';
import {
  FIRST_ACCOUNT_ID,
  LoginEmailTakenError,
  newSubmissionId,
  UnknownAccountError,
  type AccountDirectory,
  type AccountListing,
  type DecideResult,
  type LinkResult,
  type LoginEmailChange,
  type SubmitResult,
} from '../../ports/account-directory.js';

/**
 * Where the in-process directory keeps its data: JSON text, as Redis does, so a read
 * parses exactly what a Redis read would and callers never share a mutable object.
 */
export class MemoryDirectoryStorage {
  readonly accounts = new Map<string, string>();
  readonly submissions = new Map<string, string>();
  readonly loginEmails = new Map<string, string>();
  readonly slackUsers = new Map<string, string>();
  readonly documents = new Map<string, string>();
  nextId = FIRST_ACCOUNT_ID;
}

/**
 * The directory for a single process. Every method runs without awaiting anything
 * between its read and its write, which makes each one atomic on Node's one thread.
 */
export class MemoryAccountDirectory implements AccountDirectory, AccountListing {
  constructor(
    private readonly clock: Clock,
    private readonly storage = new MemoryDirectoryStorage(),
  ) {}

  async create(input: CreateAccountInput): Promise<Account> {
    // As in Redis, where the id is allocated before the email is claimed, a refused create uses one up.
    const accountId = String(this.storage.nextId++);
    const account = newAccount(accountId, input, this.clock.now());
    const emailKey = account.loginEmail === null ? null : loginEmailKey(account.loginEmail);
    if (emailKey !== null && this.storage.loginEmails.has(emailKey)) throw new LoginEmailTakenError();
    if (emailKey !== null) this.storage.loginEmails.set(emailKey, accountId);
    this.save(account);
    return account;
  }

  async getById(accountId: string): Promise<Account | null> {
    return this.read(accountId);
  }

  async listAccounts(): Promise<Account[]> {
    return [...this.storage.accounts.keys()].flatMap((accountId) => this.read(accountId) ?? []);
  }

  async getByLoginEmail(email: string): Promise<Account | null> {
    const owner = this.storage.loginEmails.get(loginEmailKey(email));
    return owner === undefined ? null : this.read(owner);
  }

  async getBySlackUser(teamId: string, userId: string): Promise<Account | null> {
    const owner = this.storage.slackUsers.get(slackKey(teamId, userId));
    return owner === undefined ? null : this.read(owner);
  }

  async linkSlackUser(accountId: string, teamId: string, userId: string): Promise<LinkResult> {
    const account = this.mustRead(accountId);
    const ref = { teamId, userId };
    const next = withSlackUser(account, ref);
    const owner = this.storage.slackUsers.get(slackKey(teamId, userId));
    if (owner !== undefined && owner !== accountId) return 'linked-elsewhere';
    if (hasSlackUser(account, ref)) return 'already-linked';
    this.storage.slackUsers.set(slackKey(teamId, userId), accountId);
    this.save(next);
    return 'linked';
  }

  async unlinkSlackUser(accountId: string, teamId: string, userId: string): Promise<boolean> {
    const account = this.mustRead(accountId);
    const ref = { teamId, userId };
    if (!hasSlackUser(account, ref)) return false;
    this.storage.slackUsers.delete(slackKey(teamId, userId));
    this.save(withoutSlackUser(account, ref));
    return true;
  }

  async update(accountId: string, patch: ProfilePatch): Promise<Account> {
    return this.save(withProfilePatch(this.mustRead(accountId), patch));
  }

  async changeLoginEmail(accountId: string, email: string): Promise<LoginEmailChange> {
    const account = this.mustRead(accountId);
    const next = withLoginEmail(account, email);
    const previous = account.loginEmail;
    const newKey = loginEmailKey(email);
    const owner = this.storage.loginEmails.get(newKey);
    if (owner !== undefined && owner !== accountId) return { outcome: 'taken' };
    if (previous !== null && loginEmailKey(previous) !== newKey) {
      this.storage.loginEmails.delete(loginEmailKey(previous));
    }
    this.storage.loginEmails.set(newKey, accountId);
    return { outcome: 'changed', account: this.save(next), previousLoginEmail: previous };
  }

  async setPassword(accountId: string, change: PasswordChange): Promise<number> {
    return this.save(withPassword(this.mustRead(accountId), change)).credentialVersion;
  }

  async upgradePasswordHash(accountId: string, currentHash: string, upgradedHash: string): Promise<boolean> {
    const upgraded = withUpgradedPasswordHash(this.mustRead(accountId), currentHash, upgradedHash);
    if (upgraded === null) return false;
    this.save(upgraded);
    return true;
  }

  async bumpCredentialVersion(accountId: string): Promise<number> {
    return this.save(withNewCredentialVersion(this.mustRead(accountId))).credentialVersion;
  }

  async setSelfServiceLock(accountId: string, locked: boolean, reason?: string): Promise<Account> {
    return this.save(withSelfServiceLock(this.mustRead(accountId), locked, reason, this.clock.now()));
  }

  async submit(accountId: string, input: SubmissionInput): Promise<SubmitResult> {
    const account = this.mustRead(accountId);
    const id = newSubmissionId(accountId, randomBytes(8).toString('hex'));
    const started = startSubmission(account, input, id, this.clock.now());
    if (started.outcome === 'already-pending') return started;
    const hash = started.submission.documentHash;
    const owner = this.storage.documents.get(hash);
    if (owner !== undefined && owner !== accountId) return { outcome: 'document-in-use' };
    this.storage.documents.set(hash, accountId);
    this.storage.submissions.set(id, JSON.stringify(started.submission));
    return { outcome: 'submitted', account: this.save(started.account), submission: started.submission };
  }

  async getSubmission(submissionId: string): Promise<VerificationSubmission | null> {
    return this.readSubmission(submissionId);
  }

  async listPending(): Promise<VerificationSubmission[]> {
    const pending: VerificationSubmission[] = [];
    for (const id of this.storage.submissions.keys()) {
      const submission = this.readSubmission(id);
      if (submission?.status === 'pending') pending.push(submission);
    }
    return pending.sort((a, b) => a.submittedAt - b.submittedAt);
  }

  async decide(submissionId: string, input: DecisionInput): Promise<DecideResult> {
    const submission = this.readSubmission(submissionId);
    if (submission === null) return { outcome: 'not-found' };
    const account = this.mustRead(submission.accountId);
    const currentId = account.verification.currentSubmissionId;
    const current = currentId === undefined ? null : this.readSubmission(currentId);
    const decided = decideSubmission(account, submission, current, input);
    if (decided.outcome === 'already-decided') return decided;
    for (const hash of decided.releasedDocumentHashes) {
      if (this.storage.documents.get(hash) === account.accountId) this.storage.documents.delete(hash);
    }
    this.storage.submissions.set(submissionId, JSON.stringify(decided.submission));
    return { outcome: 'decided', account: this.save(decided.account), submission: decided.submission };
  }

  private save(account: Account): Account {
    this.storage.accounts.set(account.accountId, JSON.stringify(account));
    return account;
  }

  private read(accountId: string): Account | null {
    const raw = this.storage.accounts.get(accountId);
    if (raw === undefined) return null;
    const parsed = accountSchema.safeParse(parseJson(raw));
    if (!parsed.success)
      throw new CorruptRecordError(`account ${accountId}`, 'does not match the account schema');
    return parsed.data;
  }

  private mustRead(accountId: string): Account {
    const account = this.read(accountId);
    if (account === null) throw new UnknownAccountError(accountId);
    return account;
  }

  private readSubmission(submissionId: string): VerificationSubmission | null {
    const raw = this.storage.submissions.get(submissionId);
    if (raw === undefined) return null;
    const parsed = submissionSchema.safeParse(parseJson(raw));
    if (!parsed.success) {
      const owner = accountIdOfSubmission(submissionId) ?? 'unknown';
      throw new CorruptRecordError(
        `submission ${submissionId} of account ${owner}`,
        'does not match the schema',
      );
    }
    return parsed.data;
  }
}

function slackKey(teamId: string, userId: string): string {
  return `${teamId}:${userId}`;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
