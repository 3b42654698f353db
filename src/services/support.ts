import type { Clock } from '../core/clock.js';
import type { Account, VerificationStatus } from '../domain/account.js';
import type { AccountDirectory } from '../ports/account-directory.js';
import type { AuditLog, StoredAuditEvent } from '../ports/audit-log.js';
import { DirectoryRefusedError } from '../ports/directory-errors.js';
import type { DirectoryPasswords } from '../ports/directory-passwords.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { CodeService } from './codes.js';
import { maskEmail, maskPhone } from './masking.js';
import { accountOwner } from '../domain/flow-owner.js';

/** A Slack user as the signed payload names them. */
export interface SlackPersonRef {
  teamId: string;
  userId: string;
}

/** What an agent may see of someone's account: identifiers, masked addresses, states. */
export interface SupportSummary {
  accountId: string;
  accountName: string;
  /** Masked; null when not set. */
  loginEmail: string | null;
  securityMobile: string | null;
  verification: VerificationStatus;
  lock: { reason: string; at: number | null } | null;
  /** When the directory locked the account after failed sign-ins; null when it has not. */
  directoryLockedAt?: number | null;
  /** When code entry, locked after too many wrong codes, opens again; null when open. */
  codesLockedUntil: number | null;
  recent: Pick<StoredAuditEvent, 'action' | 'outcome' | 'at'>[];
}

/** `own-account`: agents never act on the account they are linked to themselves. */
export type SupportRefusal = { outcome: 'refused' } | { outcome: 'no-account' } | { outcome: 'own-account' };

export type LookupResult = SupportRefusal | { outcome: 'found'; summary: SupportSummary };
export type UnlockResult =
  | SupportRefusal
  | { outcome: 'unlocked'; accountId: string }
  /** The company directory would not let the app clear its lockout; nothing was changed. */
  | { outcome: 'directory-refused' };
export type ResetOfferResult =
  SupportRefusal | { outcome: 'locked' } | { outcome: 'sent' } | { outcome: 'undeliverable' };

export interface SupportDependencies {
  directory: AccountDirectory;
  codes: CodeService;
  rateLimiter: RateLimiter;
  /** Every support action lands here; the Slack layer passes a log that mirrors to the audit channel. */
  audit: AuditLog;
  clock: Clock;
  /** Whether the person is a support agent (configured user list or user group). */
  isAgent(person: SlackPersonRef): Promise<boolean>;
  /** Sends the DM with the button that starts the reset flow; false when it could not be delivered. */
  deliverResetOffer(target: SlackPersonRef): Promise<boolean>;
  /** Tells the person their account was unlocked; failures are the caller's to log. */
  tellUnlocked(target: SlackPersonRef): Promise<void>;
  /** With a directory: unlock also clears its lockout. */
  directoryPasswords?: DirectoryPasswords | null;
}

/** How many of the account's own recent events a lookup shows. */
const RECENT_SHOWN = 5;

/**
 * The wrong-current-password counter of AccountPasswords.verifyCurrent: unlock clears it so
 * the person is not still cooling down after support checked them.
 */
const wrongPasswordSubject = (accountId: string) => ({
  tag: accountOwner(accountId),
  name: 'wrong-current-password',
});

/**
 * Support agents' actions on other people's accounts (SPEC §5): a masked lookup, unlock and
 * a reset offer by DM, never on the agent's own account. Every call checks the agent first
 * and is audited, refusals included,
 * with the agent as actor; nothing here ever returns or records a secret.
 */
export class SupportService {
  constructor(private readonly deps: SupportDependencies) {}

  async lookup(agent: SlackPersonRef, target: SlackPersonRef): Promise<LookupResult> {
    const access = await this.authorize(agent, target, 'support.lookup');
    if (access.outcome !== 'ok') return access;
    const { account } = access;
    const recent = (await this.deps.audit.forAccount(account.accountId, RECENT_SHOWN)).map(
      ({ action, outcome, at }) => ({ action, outcome, at }),
    );
    const codesLockedUntil = await this.deps.codes.lockedUntil(account.accountId);
    await this.record(agent, 'support.lookup', 'success', account.accountId);
    return { outcome: 'found', summary: summarize(account, codesLockedUntil, recent) };
  }

  /** Lifts the self-service lock and the code lock, and clears the wrong-password count. */
  async unlock(agent: SlackPersonRef, target: SlackPersonRef): Promise<UnlockResult> {
    const access = await this.authorize(agent, target, 'support.unlock');
    if (access.outcome !== 'ok') return access;
    const { accountId } = access.account;
    // The directory first: when it refuses, nothing else was lifted either.
    let directoryUnlocked: boolean;
    try {
      directoryUnlocked = (await this.deps.directoryPasswords?.unlock(accountId)) ?? false;
    } catch (error) {
      if (!(error instanceof DirectoryRefusedError)) throw error;
      await this.record(agent, 'support.unlock', 'refused', accountId, {
        reason: `directory-${error.reason}`,
      });
      return { outcome: 'directory-refused' };
    }
    await this.deps.directory.setSelfServiceLock(accountId, false);
    await this.deps.codes.unlock(accountId);
    await this.deps.rateLimiter.reset(wrongPasswordSubject(accountId));
    await this.record(agent, 'support.unlock', 'success', accountId, {
      directory: directoryUnlocked ? 'unlocked' : 'no-lock',
    });
    await this.deps.tellUnlocked(target);
    return { outcome: 'unlocked', accountId };
  }

  /** A DM with a button that starts the reset flow; a locked account gets nothing until unlocked. */
  async sendResetOffer(agent: SlackPersonRef, target: SlackPersonRef): Promise<ResetOfferResult> {
    const access = await this.authorize(agent, target, 'support.reset-offer');
    if (access.outcome !== 'ok') return access;
    const { accountId, selfServiceLocked } = access.account;
    if (selfServiceLocked) {
      await this.record(agent, 'support.reset-offer', 'refused', accountId, { reason: 'locked' });
      return { outcome: 'locked' };
    }
    const delivered = await this.deps.deliverResetOffer(target);
    await this.record(agent, 'support.reset-offer', delivered ? 'success' : 'failure', accountId);
    return { outcome: delivered ? 'sent' : 'undeliverable' };
  }

  private async authorize(
    agent: SlackPersonRef,
    target: SlackPersonRef,
    action: string,
  ): Promise<SupportRefusal | { outcome: 'ok'; account: Account }> {
    if (!(await this.deps.isAgent(agent))) {
      await this.record(agent, action, 'refused', undefined, { reason: 'not-agent' });
      return { outcome: 'refused' };
    }
    const account = await this.deps.directory.getBySlackUser(target.teamId, target.userId);
    if (account === null) {
      await this.record(agent, action, 'failure', undefined, { reason: 'no-account' });
      return { outcome: 'no-account' };
    }
    // Accounts, not Slack users: one account can be linked to several Slack users, and a
    // hijacked agent session must not undo its own lock or reset its own password.
    const agentsAccount = await this.deps.directory.getBySlackUser(agent.teamId, agent.userId);
    if (agentsAccount?.accountId === account.accountId) {
      await this.record(agent, action, 'refused', account.accountId, { reason: 'own-account' });
      return { outcome: 'own-account' };
    }
    return { outcome: 'ok', account };
  }

  private record(
    agent: SlackPersonRef,
    action: string,
    outcome: 'success' | 'failure' | 'refused',
    accountId: string | undefined,
    detail?: Record<string, string>,
  ): Promise<void> {
    return this.deps.audit.record({
      actor: `support:${agent.teamId}:${agent.userId}`,
      action,
      outcome,
      ...(accountId !== undefined ? { accountId } : {}),
      ...(detail !== undefined ? { detail } : {}),
    });
  }
}

function summarize(
  account: Account,
  codesLockedUntil: number | null,
  recent: SupportSummary['recent'],
): SupportSummary {
  return {
    accountId: account.accountId,
    accountName: account.accountName,
    loginEmail: account.loginEmail === null ? null : maskEmail(account.loginEmail),
    securityMobile: account.securityMobile === null ? null : maskPhone(account.securityMobile),
    verification: account.verification.status,
    lock: account.selfServiceLocked
      ? { reason: account.lockedReason ?? 'unknown', at: account.lockedAt }
      : null,
    codesLockedUntil,
    directoryLockedAt: account.directoryLockedAt ?? null,
    recent,
  };
}
