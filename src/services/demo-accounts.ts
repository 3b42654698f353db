import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { Account, CreateAccountInput, SlackUserRef, SubmissionInput } from '../domain/account.js';
import { LoginEmailTakenError, type AccountDirectory } from '../ports/account-directory.js';
import { DocumentCipher } from './documents.js';

/**
 * Demo accounts for the workbench and `npm run seed`. Every demo account has this
 * password; it passes the `seed` policy (8–20 characters, letter, digit, symbol).
 */
export const DEMO_PASSWORD = 'Demo.pass-2026';

/** The workbench's Slack team; the email-less account is linked to a user of it. */
export const DEMO_SLACK_TEAM = 'T0DEMO';

const DEMO_REVIEWER = 'system:demo-seed';

interface DemoAccountSpec {
  key: string;
  description: string;
  input: Omit<CreateAccountInput, 'passwordHash'>;
  /** How the seed finds the account again: its login email, or this Slack user when it has none. */
  slackUser?: SlackUserRef;
  identity?: {
    submission: Omit<SubmissionInput, 'documentNumberEncrypted' | 'documentHash' | 'documentNumberMasked'>;
    documentNumber: string;
    approved: boolean;
  };
}

const DEMO_ACCOUNTS: readonly DemoAccountSpec[] = [
  {
    key: 'complete',
    description: 'everything set, identity verified',
    input: {
      loginEmail: 'alice@example.com',
      accountName: 'Alice Chen',
      industry: 'software',
      contactNumber: '+8613800135678',
      contactEmail: 'alice.billing@example.com',
      contactEmailVerified: true,
      contactAddress: {
        fullName: 'Alice Chen',
        companyName: 'Example Cloud Ltd',
        region: 'CN',
        state: 'Zhejiang',
        city: 'Hangzhou',
        address: '969 Wenyi West Road',
        postalCode: '311121',
      },
      securityMobile: '+8613800135678',
      verificationEmail: 'alice@example.com',
    },
    identity: {
      submission: { kind: 'individual', documentType: 'passport', name: 'Alice Chen', region: 'CN' },
      documentNumber: 'E12345678',
      approved: true,
    },
  },
  {
    key: 'no-security-mobile',
    description: 'no security mobile: step-up falls back to the verification email',
    input: {
      loginEmail: 'bob@example.com',
      accountName: 'Bob Martin',
      industry: 'e-commerce',
      contactNumber: '+14155550123',
      contactEmail: 'bob@example.com',
      contactEmailVerified: true,
      verificationEmail: 'bob.security@example.com',
    },
  },
  {
    key: 'pending-verification',
    description: 'organization identity verification waiting for review',
    input: {
      loginEmail: 'carmen@example.com',
      accountName: 'Carmen Ruiz',
      industry: 'manufacturing',
      contactNumber: '+34612345678',
      contactEmail: 'carmen.billing@example.com',
      contactEmailVerified: false,
      securityMobile: '+34612345678',
      verificationEmail: 'carmen@example.com',
    },
    identity: {
      submission: {
        kind: 'organization',
        documentType: 'business-licence',
        name: 'Ruiz Metalworks SL',
        region: 'ES',
      },
      documentNumber: 'B12345674',
      approved: false,
    },
  },
  {
    key: 'no-login-email',
    description: 'no login email: cannot change or reset a password, linked to Slack user U0DEV',
    input: {
      loginEmail: null,
      accountName: 'Dev Patel',
      industry: 'education',
      securityMobile: '+447700900123',
      verificationEmail: 'dev.patel@example.com',
    },
    slackUser: { teamId: DEMO_SLACK_TEAM, userId: 'U0DEV' },
  },
];

export interface SeededAccount {
  key: string;
  description: string;
  account: Account;
  /** False when the account was already there (the seed is safe to run again). */
  created: boolean;
}

/**
 * Creates the demo accounts that are missing and completes any a previous run left half
 * done. Pass the app's cipher so reviewers can read the demo document numbers; without
 * one they are encrypted under a throwaway key.
 */
export async function seedDemoAccounts(
  directory: AccountDirectory,
  hashPassword: (password: string) => Promise<string>,
  clock: Clock,
  cipher: DocumentCipher = new DocumentCipher(randomBytes(32)),
  options: {
    /** False: leave identities awaiting review unfiled, for a caller that files them through a flow. */
    pendingIdentities?: boolean;
  } = {},
): Promise<SeededAccount[]> {
  const seeded: SeededAccount[] = [];
  for (const spec of DEMO_ACCOUNTS) {
    const { account, created } = await ensureAccount(directory, spec, hashPassword);
    if (spec.slackUser)
      await directory.linkSlackUser(account.accountId, spec.slackUser.teamId, spec.slackUser.userId);
    const fileIdentity = spec.identity?.approved === true || options.pendingIdentities !== false;
    if (spec.identity && fileIdentity) await ensureIdentity(directory, account, spec.identity, cipher, clock);
    const latest = (await directory.getById(account.accountId)) ?? account;
    seeded.push({ key: spec.key, description: spec.description, account: latest, created });
  }
  return seeded;
}

async function ensureAccount(
  directory: AccountDirectory,
  spec: DemoAccountSpec,
  hashPassword: (password: string) => Promise<string>,
): Promise<{ account: Account; created: boolean }> {
  const existing = await findDemoAccount(directory, spec);
  if (existing) return { account: existing, created: false };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  try {
    return { account: await directory.create({ ...spec.input, passwordHash }), created: true };
  } catch (error) {
    // Another seed run created it a moment ago.
    const raced = error instanceof LoginEmailTakenError ? await findDemoAccount(directory, spec) : null;
    if (raced) return { account: raced, created: false };
    throw error;
  }
}

function findDemoAccount(directory: AccountDirectory, spec: DemoAccountSpec): Promise<Account | null> {
  if (spec.input.loginEmail) return directory.getByLoginEmail(spec.input.loginEmail);
  if (spec.slackUser) return directory.getBySlackUser(spec.slackUser.teamId, spec.slackUser.userId);
  return Promise.resolve(null);
}

async function ensureIdentity(
  directory: AccountDirectory,
  account: Account,
  identity: NonNullable<DemoAccountSpec['identity']>,
  cipher: DocumentCipher,
  clock: Clock,
): Promise<void> {
  let pendingId = account.verification.pendingSubmissionId;
  if (account.verification.status === 'unverified') {
    const result = await directory.submit(account.accountId, {
      ...identity.submission,
      ...cipher.protect(identity.documentNumber),
    });
    if (result.outcome === 'submitted') pendingId = result.submission.id;
    if (result.outcome === 'already-pending') pendingId = result.pendingSubmissionId;
  }
  if (identity.approved && pendingId !== undefined && account.verification.status !== 'verified') {
    await directory.decide(pendingId, { decision: 'approved', reviewer: DEMO_REVIEWER, at: clock.now() });
  }
}
