import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { CorruptRecordError, TemporarilyUnavailableError } from '../../core/errors.js';
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
import { asCorruptRecord } from './cached-script.js';
import { guarded, type RedisClient } from './connection.js';
import {
  CLAIM_LEASE_MS,
  DirectoryClaims,
  runTransaction,
  type ClaimKind,
  type Transaction,
} from './directory-claims.js';
import type { RedisKeys } from './keys.js';

/**
 * Keys (no TTL: durable data, see the port):
 *   {acct:ID}:account               JSON { account, documents } — documents: hashes it holds
 *   {acct:ID}:submission:SID        JSON submission
 *   {acct:ID}:claim:KIND:VALUE      claim ticket `nonce|time`, PX = lease (transient)
 *   directory:login-email:{email}   `ID|nonce`   (global index, own slot)
 *   {slack:T:U}:account             `ID|nonce`   (global index, own slot)
 *   directory:document:{hash}       `ID|nonce`   (global index, own slot)
 *   directory:{account-id}          counter for new ids
 *   directory:{pending-submissions} sorted set of submission ids by submit time
 * How the indexes and records stay consistent without cross-slot scripts: directory-claims.ts.
 */
const storedSchema = z.object({
  account: accountSchema,
  documents: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
});

type Stored = z.infer<typeof storedSchema>;

/** Optimistic retries per write; only heavy contention on one account gets near it. */
const WRITE_ATTEMPTS = 50;

/** Accounts read per round trip when listing them all (export). */
const LIST_SLICE = 100;

interface Plan<R> {
  /** The new record; absent when nothing changes. */
  next?: Stored;
  /** More keys of the same slot that must be unchanged, and written with the record. */
  also?: Transaction;
  result: R;
}

const FENCED = Symbol('fenced');

export class RedisAccountDirectory implements AccountDirectory, AccountListing {
  private readonly claims: DirectoryClaims;
  private readonly loginEmail: ClaimKind;
  private readonly slackUser: ClaimKind;
  private readonly document: ClaimKind;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
  ) {
    this.claims = new DirectoryClaims(redis, clock);
    const recordKey = (accountId: string) => this.recordKey(accountId);
    const held = (accountId: string, raw: string, holds: (stored: Stored) => boolean) =>
      holds(this.parseStored(accountId, raw));
    this.loginEmail = {
      name: 'login-email',
      recordKey,
      indexKey: (email) => keys.global('directory', 'login-email', email),
      ticketKey: (accountId, email) => keys.account(accountId, 'claim', 'login-email', email),
      holds: (accountId, raw, email) => held(accountId, raw, (stored) => holdsLoginEmail(stored, email)),
    };
    this.slackUser = {
      name: 'slack-user',
      recordKey,
      indexKey: (slackId) => {
        const { teamId, userId } = splitSlackId(slackId);
        return keys.slackUser(teamId, userId, 'account');
      },
      ticketKey: (accountId, slackId) => keys.account(accountId, 'claim', 'slack-user', slackId),
      holds: (accountId, raw, slackId) =>
        held(accountId, raw, (stored) => hasSlackUser(stored.account, splitSlackId(slackId))),
    };
    this.document = {
      name: 'document',
      recordKey,
      indexKey: (hash) => keys.global('directory', 'document', hash),
      ticketKey: (accountId, hash) => keys.account(accountId, 'claim', 'document', hash),
      holds: (accountId, raw, hash) => held(accountId, raw, (stored) => stored.documents.includes(hash)),
    };
  }

  async create(input: CreateAccountInput): Promise<Account> {
    const sequence = await guarded('directory.create', () =>
      this.redis.incr(this.keys.global('directory', 'account-id')),
    );
    const accountId = String(FIRST_ACCOUNT_ID - 1 + sequence);
    const account = newAccount(accountId, input, this.clock.now());
    const record = JSON.stringify({ account, documents: [] } satisfies Stored);
    const email = account.loginEmail === null ? null : loginEmailKey(account.loginEmail);
    for (let attempt = 0; attempt < 3; attempt++) {
      const ticket = email === null ? null : await this.claims.acquire(this.loginEmail, email, accountId);
      if (ticket === 'taken') throw new LoginEmailTakenError();
      const transaction: Transaction = { checks: [[this.recordKey(accountId), null]], writes: [] };
      transaction.writes.push([this.recordKey(accountId), record]);
      if (email !== null && ticket !== null) {
        const ticketKey = this.loginEmail.ticketKey(accountId, email);
        transaction.checks.push([ticketKey, ticket]);
        transaction.writes.push([ticketKey, null]);
      }
      const failed = await runTransaction(
        this.redis,
        'directory.create',
        `account ${accountId}`,
        transaction,
      );
      if (failed === 0) return account;
      if (failed === 1) throw new CorruptRecordError(`account ${accountId}`, 'a record exists for a new id');
    }
    throw new TemporarilyUnavailableError('directory.create (contended)');
  }

  async getById(accountId: string): Promise<Account | null> {
    return (await this.readStored(accountId))?.stored.account ?? null;
  }

  /** Ids are allocated in sequence, so every account lies between the first id and the counter. */
  async listAccounts(): Promise<Account[]> {
    const allocated = await guarded('directory.list', () =>
      this.redis.get(this.keys.global('directory', 'account-id')),
    );
    const count = Number(allocated ?? 0);
    const accounts: Account[] = [];
    for (let start = 0; start < count; start += LIST_SLICE) {
      const ids = Array.from({ length: Math.min(LIST_SLICE, count - start) }, (_, offset) =>
        String(FIRST_ACCOUNT_ID + start + offset),
      );
      // A slice's GETs leave together, one round trip (one per node on a cluster); not an MGET,
      // whose keys would span slots.
      const found = await Promise.all(ids.map((id) => this.readStored(id)));
      for (const one of found) if (one) accounts.push(one.stored.account);
    }
    return accounts;
  }

  async getByLoginEmail(email: string): Promise<Account | null> {
    const key = loginEmailKey(email);
    return this.lookup(this.loginEmail, key, (stored) => holdsLoginEmail(stored, key));
  }

  async getBySlackUser(teamId: string, userId: string): Promise<Account | null> {
    return this.lookup(this.slackUser, slackId(teamId, userId), (stored) =>
      hasSlackUser(stored.account, { teamId, userId }),
    );
  }

  async linkSlackUser(accountId: string, teamId: string, userId: string): Promise<LinkResult> {
    const ref = { teamId, userId };
    const value = slackId(teamId, userId);
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.mustReadStored(accountId);
      // Builds the linked account once up front so malformed ids are refused before any claim.
      withSlackUser(current.stored.account, ref);
      if (hasSlackUser(current.stored.account, ref)) return 'already-linked';
      const ticket = await this.claims.acquire(this.slackUser, value, accountId);
      if (ticket === 'taken') return 'linked-elsewhere';
      const outcome = await this.mutate<LinkResult | typeof FENCED>(
        'directory.link-slack-user',
        accountId,
        async (stored) => {
          if (hasSlackUser(stored.account, ref)) return { result: 'already-linked' as const };
          if (!(await this.claims.ticketIsLive(this.slackUser, value, accountId, ticket)))
            return { result: FENCED };
          return {
            next: { ...stored, account: withSlackUser(stored.account, ref) },
            also: this.consumeTicket(this.slackUser, value, accountId, ticket),
            result: 'linked' as const,
          };
        },
      );
      await this.claims.dropTicket(this.slackUser, value, accountId, ticket);
      if (outcome !== FENCED) return outcome;
    }
    throw new TemporarilyUnavailableError('directory.link-slack-user (contended)');
  }

  async unlinkSlackUser(accountId: string, teamId: string, userId: string): Promise<boolean> {
    const ref = { teamId, userId };
    const removed = await this.mutate('directory.unlink-slack-user', accountId, async (stored) =>
      hasSlackUser(stored.account, ref)
        ? { next: { ...stored, account: withoutSlackUser(stored.account, ref) }, result: true }
        : { result: false },
    );
    if (removed) await this.claims.release(this.slackUser, slackId(teamId, userId), accountId);
    return removed;
  }

  async update(accountId: string, patch: ProfilePatch): Promise<Account> {
    return this.mutateAccount('directory.update', accountId, (account) => withProfilePatch(account, patch));
  }

  async changeLoginEmail(accountId: string, email: string): Promise<LoginEmailChange> {
    const key = loginEmailKey(email);
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.mustReadStored(accountId);
      // Refuses a malformed address before it can take an index entry.
      withLoginEmail(current.stored.account, email);
      const ticket = holdsLoginEmail(current.stored, key)
        ? null
        : await this.claims.acquire(this.loginEmail, key, accountId);
      if (ticket === 'taken') return { outcome: 'taken' };
      const change = await this.mutate<Extract<LoginEmailChange, { outcome: 'changed' }> | typeof FENCED>(
        'directory.change-login-email',
        accountId,
        async (stored) => {
          const result = {
            outcome: 'changed' as const,
            account: withLoginEmail(stored.account, email),
            previousLoginEmail: stored.account.loginEmail,
          };
          const next = { ...stored, account: result.account };
          if (holdsLoginEmail(stored, key)) return { next, result };
          if (ticket === null || !(await this.claims.ticketIsLive(this.loginEmail, key, accountId, ticket))) {
            return { result: FENCED };
          }
          return { next, also: this.consumeTicket(this.loginEmail, key, accountId, ticket), result };
        },
      );
      if (ticket !== null) await this.claims.dropTicket(this.loginEmail, key, accountId, ticket);
      if (change === FENCED) continue;
      const previous = change.previousLoginEmail;
      if (previous !== null && loginEmailKey(previous) !== key) {
        await this.claims.release(this.loginEmail, loginEmailKey(previous), accountId);
      }
      return change;
    }
    throw new TemporarilyUnavailableError('directory.change-login-email (contended)');
  }

  async setPassword(accountId: string, change: PasswordChange): Promise<number> {
    return (await this.mutateAccount('directory.set-password', accountId, (a) => withPassword(a, change)))
      .credentialVersion;
  }

  async upgradePasswordHash(accountId: string, currentHash: string, upgradedHash: string): Promise<boolean> {
    return this.mutate('directory.upgrade-password-hash', accountId, async (stored) => {
      const account = withUpgradedPasswordHash(stored.account, currentHash, upgradedHash);
      return account === null ? { result: false } : { next: { ...stored, account }, result: true };
    });
  }

  async bumpCredentialVersion(accountId: string): Promise<number> {
    return (await this.mutateAccount('directory.bump-credential', accountId, withNewCredentialVersion))
      .credentialVersion;
  }

  async setSelfServiceLock(accountId: string, locked: boolean, reason?: string): Promise<Account> {
    const now = this.clock.now();
    return this.mutateAccount('directory.lock', accountId, (account) =>
      withSelfServiceLock(account, locked, reason, now),
    );
  }

  async submit(accountId: string, input: SubmissionInput): Promise<SubmitResult> {
    const now = this.clock.now();
    const id = newSubmissionId(accountId, randomBytes(8).toString('hex'));
    const submissionKey = this.submissionKey(accountId, id);
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.mustReadStored(accountId);
      const preview = startSubmission(current.stored.account, input, id, now);
      if (preview.outcome === 'already-pending') return preview;
      const hash = preview.submission.documentHash;
      const ticket = current.stored.documents.includes(hash)
        ? null
        : await this.claims.acquire(this.document, hash, accountId);
      if (ticket === 'taken') return { outcome: 'document-in-use' };
      // Listed before it exists: the lister skips ids without a submission, so a crash
      // here can hide nothing from reviewers (the reverse order could).
      await guarded('directory.submit', () => this.redis.zadd(this.pendingKey(), now, id));
      const outcome = await this.mutate<SubmitResult | typeof FENCED>(
        'directory.submit',
        accountId,
        async (stored) => {
          const started = startSubmission(stored.account, input, id, now);
          if (started.outcome === 'already-pending') return { result: started };
          const result = {
            outcome: 'submitted' as const,
            account: started.account,
            submission: started.submission,
          };
          const held = stored.documents.includes(hash);
          const also: Transaction = {
            checks: [[submissionKey, null]],
            writes: [[submissionKey, JSON.stringify(started.submission)]],
          };
          if (!held) {
            if (
              ticket === null ||
              !(await this.claims.ticketIsLive(this.document, hash, accountId, ticket))
            ) {
              return { result: FENCED };
            }
            const consumed = this.consumeTicket(this.document, hash, accountId, ticket);
            also.checks.push(...consumed.checks);
            also.writes.push(...consumed.writes);
          }
          const documents = held ? stored.documents : [...stored.documents, hash];
          return { next: { account: started.account, documents }, also, result };
        },
      );
      if (ticket !== null) await this.claims.dropTicket(this.document, hash, accountId, ticket);
      if (outcome === FENCED) continue;
      if (outcome.outcome === 'already-pending') {
        await guarded('directory.submit', () => this.redis.zrem(this.pendingKey(), id));
        if (ticket !== null) await this.claims.release(this.document, hash, accountId);
      }
      return outcome;
    }
    throw new TemporarilyUnavailableError('directory.submit (contended)');
  }

  async getSubmission(submissionId: string): Promise<VerificationSubmission | null> {
    return (await this.readSubmission(submissionId))?.submission ?? null;
  }

  async listPending(): Promise<VerificationSubmission[]> {
    const entries = await guarded('directory.list-pending', () =>
      this.redis.zrange(this.pendingKey(), 0, '-1', 'WITHSCORES'),
    );
    const pending: VerificationSubmission[] = [];
    const finished: string[] = [];
    for (let i = 0; i + 1 < entries.length; i += 2) {
      const id = entries[i] ?? '';
      const listedAt = Number(entries[i + 1]);
      const found = await this.readSubmission(id);
      if (found?.submission.status === 'pending') pending.push(found.submission);
      else if (found !== null || listedAt + CLAIM_LEASE_MS < this.clock.now()) finished.push(id);
    }
    if (finished.length > 0) {
      await guarded('directory.list-pending', () => this.redis.zrem(this.pendingKey(), ...finished));
    }
    return pending;
  }

  async decide(submissionId: string, input: DecisionInput): Promise<DecideResult> {
    const accountId = accountIdOfSubmission(submissionId);
    if (accountId === null || (await this.readSubmission(submissionId)) === null)
      return { outcome: 'not-found' };
    let released: string[] = [];
    const outcome = await this.mutate<DecideResult>('directory.decide', accountId, async (stored) => {
      const found = await this.readSubmission(submissionId);
      if (found === null) return { result: { outcome: 'not-found' as const } };
      const currentId = stored.account.verification.currentSubmissionId;
      const current =
        currentId === undefined ? null : ((await this.readSubmission(currentId))?.submission ?? null);
      const decided = decideSubmission(stored.account, found.submission, current, input);
      if (decided.outcome === 'already-decided') return { result: decided };
      released = decided.releasedDocumentHashes;
      const key = this.submissionKey(accountId, submissionId);
      return {
        next: {
          account: decided.account,
          documents: stored.documents.filter((hash) => !released.includes(hash)),
        },
        also: { checks: [[key, found.raw]], writes: [[key, JSON.stringify(decided.submission)]] },
        result: { outcome: 'decided' as const, account: decided.account, submission: decided.submission },
      };
    });
    if (outcome.outcome === 'decided') {
      await guarded('directory.decide', () => this.redis.zrem(this.pendingKey(), submissionId));
      for (const hash of released) await this.claims.release(this.document, hash, accountId);
    }
    return outcome;
  }

  /** Reads, changes and writes the record with compare-and-set, retrying on a race. */
  private async mutate<R>(
    operation: string,
    accountId: string,
    plan: (stored: Stored) => Promise<Plan<R>>,
  ): Promise<R> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const current = await this.mustReadStored(accountId);
      const { next, also, result } = await plan(current.stored);
      if (next === undefined) return result;
      const recordKey = this.recordKey(accountId);
      const failed = await runTransaction(this.redis, operation, `account ${accountId}`, {
        checks: [[recordKey, current.raw], ...(also?.checks ?? [])],
        writes: [[recordKey, JSON.stringify(next)], ...(also?.writes ?? [])],
      });
      if (failed === 0) return result;
    }
    throw new TemporarilyUnavailableError(`${operation} (contended)`);
  }

  private mutateAccount(
    operation: string,
    accountId: string,
    change: (account: Account) => Account,
  ): Promise<Account> {
    return this.mutate(operation, accountId, async (stored) => {
      const account = change(stored.account);
      return { next: { ...stored, account }, result: account };
    });
  }

  private consumeTicket(kind: ClaimKind, value: string, accountId: string, ticket: string): Transaction {
    const key = kind.ticketKey(accountId, value);
    return { checks: [[key, ticket]], writes: [[key, null]] };
  }

  /** The index names a candidate; only its record can confirm it (a crash may leave a stale entry). */
  private async lookup(
    kind: ClaimKind,
    value: string,
    holds: (stored: Stored) => boolean,
  ): Promise<Account | null> {
    const owner = await this.claims.indexedOwner(kind, value);
    if (owner === null) return null;
    const found = await this.readStored(owner);
    return found !== null && holds(found.stored) ? found.stored.account : null;
  }

  private async readStored(accountId: string): Promise<{ raw: string; stored: Stored } | null> {
    const raw = await guarded('directory.read', async () => {
      try {
        return await this.redis.get(this.recordKey(accountId));
      } catch (error) {
        throw asCorruptRecord(`account ${accountId}`, error);
      }
    });
    return raw === null ? null : { raw, stored: this.parseStored(accountId, raw) };
  }

  private async mustReadStored(accountId: string): Promise<{ raw: string; stored: Stored }> {
    const found = await this.readStored(accountId);
    if (found === null) throw new UnknownAccountError(accountId);
    return found;
  }

  private parseStored(accountId: string, raw: string): Stored {
    const parsed = storedSchema.safeParse(parseJson(raw));
    if (!parsed.success)
      throw new CorruptRecordError(`account ${accountId}`, 'does not match the account schema');
    return parsed.data;
  }

  private async readSubmission(
    submissionId: string,
  ): Promise<{ raw: string; submission: VerificationSubmission } | null> {
    const accountId = accountIdOfSubmission(submissionId);
    if (accountId === null) return null;
    const what = `submission ${submissionId} of account ${accountId}`;
    const raw = await guarded('directory.read-submission', async () => {
      try {
        return await this.redis.get(this.submissionKey(accountId, submissionId));
      } catch (error) {
        throw asCorruptRecord(what, error);
      }
    });
    if (raw === null) return null;
    const parsed = submissionSchema.safeParse(parseJson(raw));
    if (!parsed.success) throw new CorruptRecordError(what, 'does not match the submission schema');
    return { raw, submission: parsed.data };
  }

  private recordKey(accountId: string): string {
    return this.keys.account(accountId, 'account');
  }

  private submissionKey(accountId: string, submissionId: string): string {
    return this.keys.account(accountId, 'submission', submissionId);
  }

  private pendingKey(): string {
    return this.keys.global('directory', 'pending-submissions');
  }
}

function holdsLoginEmail(stored: Stored, key: string): boolean {
  return stored.account.loginEmail !== null && loginEmailKey(stored.account.loginEmail) === key;
}

function slackId(teamId: string, userId: string): string {
  return `${teamId}:${userId}`;
}

function splitSlackId(value: string): { teamId: string; userId: string } {
  const [teamId = '', userId = ''] = value.split(':');
  return { teamId, userId };
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
