import { beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/core/clock.js';
import { CorruptRecordError } from '../../src/core/errors.js';
import { appIdFor, type CreateAccountInput, type SubmissionInput } from '../../src/domain/account.js';
import {
  LoginEmailTakenError,
  UnknownAccountError,
  type AccountDirectory,
} from '../../src/ports/account-directory.js';
import { DocumentCipher } from '../../src/services/documents.js';

export interface AccountDirectoryHarness {
  directory: AccountDirectory;
  clock: ManualClock;
  /** Overwrites the account's stored record with text that is not an account. */
  corrupt(accountId: string): Promise<void>;
}

const vault = new DocumentCipher(Buffer.alloc(32, 7));

/** Distinct, well-formed bcrypt-shaped hashes; the directory never verifies them. */
function hash(n: number): string {
  return `$2b$04$${String(n).padStart(53, 'x')}`;
}

function input(overrides: Partial<CreateAccountInput> = {}): CreateAccountInput {
  return {
    loginEmail: 'ada@example.com',
    accountName: 'Ada Lovelace',
    industry: 'Finance',
    contactNumber: '+441632960001',
    contactEmail: 'billing@example.com',
    securityMobile: '+8613812345678',
    verificationEmail: 'ada.security@example.com',
    passwordHash: hash(1),
    ...overrides,
  };
}

function passport(number: string, name = 'Ada Lovelace'): SubmissionInput {
  return { kind: 'individual', documentType: 'passport', name, region: 'GB', ...vault.protect(number) };
}

const reviewer = 'support:T1:UREVIEWER';

export interface ContractOptions {
  /**
   * `hashes`: the store keeps bcrypt hashes and their history (embedded). `directory`: an
   * LDAP directory hashes and checks passwords itself, so the hash operations are not offered.
   */
  passwords: 'hashes' | 'directory';
}

export function describeAccountDirectoryContract(
  label: string,
  factory: () => Promise<AccountDirectoryHarness>,
  options: ContractOptions = { passwords: 'hashes' },
): void {
  const storesHashes = options.passwords === 'hashes';
  describe(`AccountDirectory contract: ${label}`, () => {
    let directory: AccountDirectory;
    let clock: ManualClock;
    let corrupt: (accountId: string) => Promise<void>;

    beforeEach(async () => {
      ({ directory, clock, corrupt } = await factory());
    });

    describe('accounts', () => {
      it('creates an account with an allocated id, its APPID and safe defaults', async () => {
        const account = await directory.create(input({ industry: undefined, contactAddress: undefined }));
        expect(account.accountId).toMatch(/^\d+$/);
        expect(account.appId).toBe(appIdFor(account.accountId));
        expect(account).toMatchObject({
          loginEmail: 'ada@example.com',
          registeredAt: clock.now(),
          industry: null,
          contactAddress: null,
          contactEmailVerified: false,
          passwordHistory: storesHashes ? [hash(1)] : [],
          credentialVersion: 1,
          verification: { status: 'unverified' },
          selfServiceLocked: false,
          slackUsers: [],
        });
        // A directory sets the change time itself, from its own clock and policy.
        if (storesHashes) expect(account.passwordChangedAt).toBe(clock.now());
        expect(await directory.getById(account.accountId)).toEqual(account);
      });

      it('gives every account its own id and APPID', async () => {
        const accounts = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            directory.create(input({ loginEmail: `user${i}@example.com` })),
          ),
        );
        expect(new Set(accounts.map((a) => a.accountId)).size).toBe(5);
        expect(new Set(accounts.map((a) => a.appId)).size).toBe(5);
      });

      it('answers null for an unknown id, email or Slack user', async () => {
        expect(await directory.getById('999999999')).toBeNull();
        expect(await directory.getByLoginEmail('nobody@example.com')).toBeNull();
        expect(await directory.getBySlackUser('T1', 'U404')).toBeNull();
      });

      it('finds an account by login email whatever the case', async () => {
        const account = await directory.create(input({ loginEmail: 'Ada@Example.com' }));
        expect((await directory.getByLoginEmail('ada@example.COM'))?.accountId).toBe(account.accountId);
        expect(account.loginEmail).toBe('Ada@Example.com');
      });

      it('refuses a second account with the same login email in another case', async () => {
        await directory.create(input());
        await expect(directory.create(input({ loginEmail: 'ADA@example.com' }))).rejects.toThrow(
          LoginEmailTakenError,
        );
      });

      it('allows several accounts without a login email', async () => {
        const first = await directory.create(input({ loginEmail: null, passwordHash: null }));
        const second = await directory.create(input({ loginEmail: null }));
        expect(first.accountId).not.toBe(second.accountId);
        expect(first.passwordHistory).toEqual([]);
        expect(first.passwordChangedAt).toBeNull();
      });

      it('refuses invalid input and writes nothing', async () => {
        await expect(directory.create(input({ contactNumber: '12345' }))).rejects.toThrow(RangeError);
        await expect(directory.create(input({ loginEmail: 'not an email' }))).rejects.toThrow(RangeError);
        expect(await directory.getByLoginEmail('ada@example.com')).toBeNull();
      });

      it('lets exactly one of 10 concurrent creates with one email win', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            directory.create(input({ loginEmail: i % 2 ? 'RACE@example.com' : 'race@example.com' })),
          ),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        expect(won).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LoginEmailTakenError);
        }
        const owner = await directory.getByLoginEmail('race@example.com');
        expect(owner?.accountId).toBe(won[0]?.status === 'fulfilled' ? won[0].value.accountId : undefined);
      });
    });

    describe('editable fields', () => {
      it('updates only the fields in the patch', async () => {
        const { accountId } = await directory.create(input());
        const address = {
          fullName: 'Ada Lovelace',
          companyName: 'Analytical Engines Ltd',
          region: 'GB',
          state: 'Greater London',
          city: 'London',
          address: '12 St James Square',
          postalCode: 'SW1Y 4JH',
        };
        const updated = await directory.update(accountId, {
          accountName: 'Countess of Lovelace',
          contactAddress: address,
          contactEmail: 'new-billing@example.com',
          contactEmailVerified: false,
          securityMobile: null,
        });
        expect(updated).toMatchObject({
          accountName: 'Countess of Lovelace',
          contactAddress: address,
          contactEmail: 'new-billing@example.com',
          securityMobile: null,
          industry: 'Finance',
          verificationEmail: 'ada.security@example.com',
        });
        expect(await directory.getById(accountId)).toEqual(updated);
      });

      it('keeps text in any script exactly as written', async () => {
        const { accountId } = await directory.create(input({ accountName: 'Zoë Ångström 李小龍 "Q" \\ ✓' }));
        await directory.bumpCredentialVersion(accountId);
        const updated = await directory.update(accountId, { industry: 'Café & Bäckerei — 東京' });
        expect(updated).toMatchObject({ accountName: 'Zoë Ångström 李小龍 "Q" \\ ✓', credentialVersion: 2 });
        expect(await directory.getById(accountId)).toEqual(updated);
      });

      it('refuses an invalid or unknown field and leaves the account as it was', async () => {
        const account = await directory.create(input());
        await expect(directory.update(account.accountId, { contactNumber: '0800 FLOWERS' })).rejects.toThrow(
          RangeError,
        );
        await expect(directory.update(account.accountId, { accountName: '' })).rejects.toThrow(RangeError);
        await expect(
          directory.update(account.accountId, { loginEmail: 'x@example.com' } as Record<string, unknown>),
        ).rejects.toThrow(RangeError);
        expect(await directory.getById(account.accountId)).toEqual(account);
      });

      it('throws UnknownAccountError for a missing account', async () => {
        await expect(directory.update('999999999', { accountName: 'x' })).rejects.toThrow(
          UnknownAccountError,
        );
        if (storesHashes) {
          await expect(
            directory.setPassword('999999999', { hash: hash(2), changedAt: 1, historySize: 3 }),
          ).rejects.toThrow(UnknownAccountError);
        }
      });
    });

    describe('login email', () => {
      it('changes it, reports the previous one and frees it', async () => {
        const { accountId } = await directory.create(input());
        const change = await directory.changeLoginEmail(accountId, 'ada@new.example.com');
        expect(change).toMatchObject({ outcome: 'changed', previousLoginEmail: 'ada@example.com' });
        expect((await directory.getByLoginEmail('ADA@new.example.com'))?.accountId).toBe(accountId);
        expect(await directory.getByLoginEmail('ada@example.com')).toBeNull();
        const other = await directory.create(input({ loginEmail: 'ada@example.com' }));
        expect((await directory.getByLoginEmail('ada@example.com'))?.accountId).toBe(other.accountId);
      });

      it("refuses another account's email in any case, and keeps a case-only change", async () => {
        const ada = await directory.create(input());
        const bob = await directory.create(input({ loginEmail: 'bob@example.com' }));
        expect(await directory.changeLoginEmail(bob.accountId, 'ADA@EXAMPLE.COM')).toEqual({
          outcome: 'taken',
        });
        expect((await directory.getById(bob.accountId))?.loginEmail).toBe('bob@example.com');
        const recased = await directory.changeLoginEmail(ada.accountId, 'Ada@Example.com');
        expect(recased).toMatchObject({ outcome: 'changed', account: { loginEmail: 'Ada@Example.com' } });
        expect((await directory.getByLoginEmail('ada@example.com'))?.accountId).toBe(ada.accountId);
      });

      it('gives an account without a login email one', async () => {
        const { accountId } = await directory.create(input({ loginEmail: null }));
        const change = await directory.changeLoginEmail(accountId, 'late@example.com');
        expect(change).toMatchObject({ outcome: 'changed', previousLoginEmail: null });
        expect((await directory.getByLoginEmail('late@example.com'))?.accountId).toBe(accountId);
      });

      it('lets exactly one of 10 concurrent changes and creates claim one email', async () => {
        const accounts = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            directory.create(input({ loginEmail: `racer${i}@example.com` })),
          ),
        );
        const outcomes = await Promise.allSettled([
          ...accounts.map((a) => directory.changeLoginEmail(a.accountId, 'prize@example.com')),
          ...Array.from({ length: 4 }, () => directory.create(input({ loginEmail: 'PRIZE@example.com' }))),
        ]);
        const winners = outcomes.filter(
          (o) => o.status === 'fulfilled' && !('outcome' in o.value && o.value.outcome === 'taken'),
        );
        expect(winners).toHaveLength(1);
        const owner = await directory.getByLoginEmail('prize@example.com');
        expect(owner).not.toBeNull();
        const holders = await Promise.all(
          accounts.map(async (a) => (await directory.getById(a.accountId))?.loginEmail),
        );
        expect(
          holders.filter((email) => email?.toLowerCase() === 'prize@example.com').length,
        ).toBeLessThanOrEqual(1);
      });

      it('refuses a malformed address without claiming it', async () => {
        const { accountId } = await directory.create(input());
        await expect(directory.changeLoginEmail(accountId, 'no-at-sign')).rejects.toThrow(RangeError);
        expect((await directory.getById(accountId))?.loginEmail).toBe('ada@example.com');
      });
    });

    describe('Slack users', () => {
      it('links, finds, refuses a second account and unlinks', async () => {
        const ada = await directory.create(input());
        const bob = await directory.create(input({ loginEmail: 'bob@example.com' }));
        expect(await directory.linkSlackUser(ada.accountId, 'T1', 'U1')).toBe('linked');
        expect(await directory.linkSlackUser(ada.accountId, 'T1', 'U1')).toBe('already-linked');
        expect(await directory.linkSlackUser(bob.accountId, 'T1', 'U1')).toBe('linked-elsewhere');
        expect(await directory.linkSlackUser(ada.accountId, 'T2', 'U9')).toBe('linked');
        expect((await directory.getBySlackUser('T1', 'U1'))?.accountId).toBe(ada.accountId);
        expect((await directory.getById(ada.accountId))?.slackUsers).toEqual([
          { teamId: 'T1', userId: 'U1' },
          { teamId: 'T2', userId: 'U9' },
        ]);

        expect(await directory.unlinkSlackUser(ada.accountId, 'T1', 'U1')).toBe(true);
        expect(await directory.unlinkSlackUser(ada.accountId, 'T1', 'U1')).toBe(false);
        expect(await directory.getBySlackUser('T1', 'U1')).toBeNull();
        expect(await directory.linkSlackUser(bob.accountId, 'T1', 'U1')).toBe('linked');
        expect((await directory.getBySlackUser('T1', 'U1'))?.accountId).toBe(bob.accountId);
      });

      it('links one Slack user to exactly one of 5 accounts racing for it', async () => {
        const accounts = await Promise.all(
          Array.from({ length: 5 }, (_, i) => directory.create(input({ loginEmail: `s${i}@example.com` }))),
        );
        const results = await Promise.all(
          accounts.map((a) => directory.linkSlackUser(a.accountId, 'T1', 'URACE')),
        );
        expect(results.filter((r) => r === 'linked')).toHaveLength(1);
        expect(results.filter((r) => r === 'linked-elsewhere')).toHaveLength(4);
        const linked = await Promise.all(accounts.map((a) => directory.getById(a.accountId)));
        expect(linked.filter((a) => a?.slackUsers.length === 1)).toHaveLength(1);
      });

      it('refuses malformed Slack ids', async () => {
        const { accountId } = await directory.create(input());
        await expect(directory.linkSlackUser(accountId, 't1', 'u 1')).rejects.toThrow(RangeError);
      });
    });

    describe('credentials and lock', () => {
      it.runIf(storesHashes)(
        'stores a new password, trims the history newest first and bumps the version',
        async () => {
          const { accountId } = await directory.create(input());
          const at = clock.now() + 1_000;
          expect(
            await directory.setPassword(accountId, { hash: hash(2), changedAt: at, historySize: 3 }),
          ).toBe(2);
          expect(
            await directory.setPassword(accountId, { hash: hash(3), changedAt: at, historySize: 3 }),
          ).toBe(3);
          expect(
            await directory.setPassword(accountId, { hash: hash(4), changedAt: at + 5, historySize: 3 }),
          ).toBe(4);
          const account = await directory.getById(accountId);
          expect(account).toMatchObject({
            passwordHash: hash(4),
            passwordHistory: [hash(4), hash(3), hash(2)],
            passwordChangedAt: at + 5,
            credentialVersion: 4,
          });
          await directory.setPassword(accountId, { hash: hash(5), changedAt: at, historySize: 0 });
          expect((await directory.getById(accountId))?.passwordHistory).toEqual([]);
        },
      );

      it('bumps the credential version without touching the password', async () => {
        const { accountId } = await directory.create(input());
        expect(await directory.bumpCredentialVersion(accountId)).toBe(2);
        expect(await directory.bumpCredentialVersion(accountId)).toBe(3);
        expect(await directory.getById(accountId)).toMatchObject({
          passwordHash: storesHashes ? hash(1) : null,
          credentialVersion: 3,
        });
      });

      it.runIf(storesHashes)('upgrades the current hash in place, and only while it is current', async () => {
        const { accountId } = await directory.create(input());
        await directory.setPassword(accountId, { hash: hash(2), changedAt: 5, historySize: 3 });
        expect(await directory.upgradePasswordHash(accountId, hash(1), hash(9))).toBe(false);
        expect(await directory.upgradePasswordHash(accountId, hash(2), hash(12))).toBe(true);
        expect(await directory.getById(accountId)).toMatchObject({
          passwordHash: hash(12),
          passwordHistory: [hash(12), hash(1)],
          passwordChangedAt: 5,
          credentialVersion: 2,
        });
      });

      it('counts every one of 10 concurrent bumps', async () => {
        const { accountId } = await directory.create(input());
        await Promise.all(Array.from({ length: 10 }, () => directory.bumpCredentialVersion(accountId)));
        expect((await directory.getById(accountId))?.credentialVersion).toBe(11);
      });

      it('locks with a reason and time, and unlocks', async () => {
        const { accountId } = await directory.create(input());
        clock.advance(60_000);
        expect(await directory.setSelfServiceLock(accountId, true, 'this-was-not-me')).toMatchObject({
          selfServiceLocked: true,
          lockedReason: 'this-was-not-me',
          lockedAt: clock.now(),
        });
        expect(await directory.setSelfServiceLock(accountId, false)).toMatchObject({
          selfServiceLocked: false,
          lockedReason: null,
          lockedAt: null,
        });
      });
    });

    describe('identity verification', () => {
      it('moves an unverified account to pending and lists the submission', async () => {
        const { accountId } = await directory.create(input());
        const result = await directory.submit(accountId, passport('E1234 5678'));
        expect(result.outcome).toBe('submitted');
        if (result.outcome !== 'submitted') return;
        expect(result.account.verification).toEqual({
          status: 'pending',
          pendingSubmissionId: result.submission.id,
        });
        expect(result.submission).toMatchObject({
          accountId,
          status: 'pending',
          submittedAt: clock.now(),
          documentNumberMasked: 'E1****78',
          decision: null,
        });
        expect(await directory.getSubmission(result.submission.id)).toEqual(result.submission);
        expect(await directory.listPending()).toEqual([result.submission]);
        expect(await directory.getSubmission(`${accountId}-0000000000000000`)).toBeNull();
        expect(await directory.getSubmission('nonsense')).toBeNull();
      });

      it('keeps one submission waiting at a time', async () => {
        const { accountId } = await directory.create(input());
        const first = await directory.submit(accountId, passport('E100'));
        const second = await directory.submit(accountId, passport('E200'));
        expect(second).toEqual({
          outcome: 'already-pending',
          pendingSubmissionId: first.outcome === 'submitted' ? first.submission.id : '',
        });
      });

      it('lists pending submissions oldest first', async () => {
        const ada = await directory.create(input());
        const bob = await directory.create(input({ loginEmail: 'bob@example.com' }));
        const first = await directory.submit(bob.accountId, passport('B1'));
        clock.advance(1_000);
        const second = await directory.submit(ada.accountId, passport('A1'));
        const ids = (await directory.listPending()).map((s) => s.id);
        expect(ids).toEqual([first, second].map((r) => (r.outcome === 'submitted' ? r.submission.id : '')));
      });

      it("refuses another account's document however it is typed", async () => {
        const ada = await directory.create(input());
        const bob = await directory.create(input({ loginEmail: 'bob@example.com' }));
        expect((await directory.submit(ada.accountId, passport('E12345678'))).outcome).toBe('submitted');
        expect(await directory.submit(bob.accountId, passport('e12-345 678', 'Bob'))).toEqual({
          outcome: 'document-in-use',
        });
        expect((await directory.getById(bob.accountId))?.verification.status).toBe('unverified');
      });

      it('approves once; a second decision changes nothing', async () => {
        const { accountId } = await directory.create(input());
        const submitted = await directory.submit(accountId, passport('E1'));
        if (submitted.outcome !== 'submitted') throw new Error('not submitted');
        const id = submitted.submission.id;
        const at = clock.now() + 5_000;
        const decided = await directory.decide(id, { decision: 'approved', reviewer, at });
        expect(decided).toMatchObject({
          outcome: 'decided',
          account: { verification: { status: 'verified', currentSubmissionId: id, decidedAt: at } },
          submission: { status: 'approved', decision: { reviewer, at } },
        });
        const again = await directory.decide(id, {
          decision: 'rejected',
          reason: 'late',
          reviewer,
          at: at + 1,
        });
        expect(again).toMatchObject({ outcome: 'already-decided', submission: { status: 'approved' } });
        expect((await directory.getById(accountId))?.verification.status).toBe('verified');
        expect(await directory.listPending()).toEqual([]);
        expect(
          await directory.decide(`${accountId}-0000000000000000`, { decision: 'approved', reviewer, at }),
        ).toEqual({
          outcome: 'not-found',
        });
      });

      it('records exactly one of two concurrent decisions', async () => {
        const { accountId } = await directory.create(input());
        const submitted = await directory.submit(accountId, passport('E2'));
        if (submitted.outcome !== 'submitted') throw new Error('not submitted');
        const results = await Promise.all([
          directory.decide(submitted.submission.id, { decision: 'approved', reviewer, at: 1 }),
          directory.decide(submitted.submission.id, {
            decision: 'rejected',
            reason: 'blurred',
            reviewer,
            at: 1,
          }),
        ]);
        expect(results.map((r) => r.outcome).sort()).toEqual(['already-decided', 'decided']);
      });

      it('rejects with a reason, releases the document and accepts a resubmission', async () => {
        const ada = await directory.create(input());
        const bob = await directory.create(input({ loginEmail: 'bob@example.com' }));
        const submitted = await directory.submit(ada.accountId, passport('E3'));
        if (submitted.outcome !== 'submitted') throw new Error('not submitted');
        await expect(
          directory.decide(submitted.submission.id, { decision: 'rejected', reviewer, at: 1 }),
        ).rejects.toThrow(RangeError);
        const rejected = await directory.decide(submitted.submission.id, {
          decision: 'rejected',
          reason: 'The photo is unreadable.',
          reviewer,
          at: 2,
        });
        expect(rejected).toMatchObject({
          outcome: 'decided',
          account: { verification: { status: 'rejected', reason: 'The photo is unreadable.', decidedAt: 2 } },
        });
        expect((await directory.submit(ada.accountId, passport('E3'))).outcome).toBe('submitted');
        const adaAgain = await directory.getById(ada.accountId);
        const pendingId = adaAgain?.verification.pendingSubmissionId ?? '';
        await directory.decide(pendingId, { decision: 'rejected', reason: 'Wrong name.', reviewer, at: 3 });
        expect((await directory.submit(bob.accountId, passport('E3', 'Bob'))).outcome).toBe('submitted');
      });

      it("keeps a verified account verified while its change waits, and after it's rejected", async () => {
        const ada = await directory.create(input());
        const bob = await directory.create(input({ loginEmail: 'bob@example.com' }));
        const first = await directory.submit(ada.accountId, passport('OLD1'));
        if (first.outcome !== 'submitted') throw new Error('not submitted');
        await directory.decide(first.submission.id, { decision: 'approved', reviewer, at: 1 });

        const change = await directory.submit(ada.accountId, passport('OLD1', 'Ada King'));
        if (change.outcome !== 'submitted') throw new Error('not submitted');
        expect(change.account.verification).toEqual({
          status: 'verified',
          decidedAt: 1,
          currentSubmissionId: first.submission.id,
          pendingSubmissionId: change.submission.id,
        });
        await directory.decide(change.submission.id, {
          decision: 'rejected',
          reason: 'Name mismatch.',
          reviewer,
          at: 2,
        });
        expect((await directory.getById(ada.accountId))?.verification).toEqual({
          status: 'verified',
          decidedAt: 1,
          currentSubmissionId: first.submission.id,
        });
        // The approved submission still holds the same document.
        expect((await directory.submit(bob.accountId, passport('OLD1', 'Bob'))).outcome).toBe(
          'document-in-use',
        );
      });

      it('moves the verification to an approved change and frees the replaced document', async () => {
        const ada = await directory.create(input());
        const bob = await directory.create(input({ loginEmail: 'bob@example.com' }));
        const first = await directory.submit(ada.accountId, passport('OLD2'));
        if (first.outcome !== 'submitted') throw new Error('not submitted');
        await directory.decide(first.submission.id, { decision: 'approved', reviewer, at: 1 });
        const change = await directory.submit(ada.accountId, passport('NEW2'));
        if (change.outcome !== 'submitted') throw new Error('not submitted');
        expect((await directory.submit(bob.accountId, passport('NEW2', 'Bob'))).outcome).toBe(
          'document-in-use',
        );
        await directory.decide(change.submission.id, { decision: 'approved', reviewer, at: 2 });
        expect((await directory.getById(ada.accountId))?.verification).toEqual({
          status: 'verified',
          decidedAt: 2,
          currentSubmissionId: change.submission.id,
        });
        expect((await directory.submit(bob.accountId, passport('OLD2', 'Bob'))).outcome).toBe('submitted');
      });

      it('lets exactly one of 5 accounts racing for one document claim it', async () => {
        const accounts = await Promise.all(
          Array.from({ length: 5 }, (_, i) => directory.create(input({ loginEmail: `d${i}@example.com` }))),
        );
        const results = await Promise.all(
          accounts.map((a) => directory.submit(a.accountId, passport('RACE-1'))),
        );
        expect(results.filter((r) => r.outcome === 'submitted')).toHaveLength(1);
        expect(results.filter((r) => r.outcome === 'document-in-use')).toHaveLength(4);
        expect(await directory.listPending()).toHaveLength(1);
      });

      it('refuses a submission whose document number is not encrypted', async () => {
        const { accountId } = await directory.create(input());
        const plain = { ...passport('E9'), documentNumberEncrypted: 'E9' };
        await expect(directory.submit(accountId, plain)).rejects.toThrow(RangeError);
        expect((await directory.getById(accountId))?.verification.status).toBe('unverified');
      });
    });

    describe('damaged data', () => {
      it('reports a corrupt record as CorruptRecordError naming the account', async () => {
        const { accountId } = await directory.create(input());
        await directory.linkSlackUser(accountId, 'T1', 'UCORRUPT');
        await corrupt(accountId);
        const named = expect.objectContaining({ message: expect.stringContaining(accountId) });
        await expect(directory.getById(accountId)).rejects.toThrow(CorruptRecordError);
        await expect(directory.getById(accountId)).rejects.toEqual(named);
        await expect(directory.getByLoginEmail('ada@example.com')).rejects.toThrow(CorruptRecordError);
        await expect(directory.getBySlackUser('T1', 'UCORRUPT')).rejects.toThrow(CorruptRecordError);
        await expect(directory.update(accountId, { accountName: 'x' })).rejects.toThrow(CorruptRecordError);
        await expect(directory.bumpCredentialVersion(accountId)).rejects.toThrow(CorruptRecordError);
      });
    });
  });
}
