import type { Account } from '../domain/account.js';
import type { AccountDirectory } from '../ports/account-directory.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Dedupe } from '../ports/dedupe.js';
import type { AccountPasswords } from './passwords.js';
import type { SlackPersonRef } from './support.js';
import { slackOwner } from '../domain/flow-owner.js';

export interface AccountProtectionDependencies {
  directory: AccountDirectory;
  passwords: AccountPasswords;
  audit: AuditLog;
  dedupe: Dedupe;
  /** Ends the account's open flows (all its owners); returns how many were ended. */
  endOpenFlows(account: Account): Promise<number>;
  /** Tells the support channel, without secrets; resolves once posted or safely given up. */
  alertSupport(alert: { reporter: SlackPersonRef; accountId: string }): Promise<void>;
  lockReason: string;
}

export type NotMeResult =
  | { outcome: 'locked'; accountId: string; flowsEnded: number }
  /** The same notice was reported already: the protection stands, nothing was repeated. */
  | { outcome: 'already-reported'; accountId: string }
  | { outcome: 'not-linked' };

/** A double click or a Slack retry arrives within seconds; a day covers any late replay. */
const REPORT_MEMORY_MS = 24 * 60 * 60 * 1000;

/**
 * "This wasn't me" (SPEC §5): the owner says a change was not theirs. The protection itself
 * (lock, revoke every link and code, bump the credential version, end open flows) is
 * repeated on every press because each step is harmless twice and must not be skipped after
 * a half-failed first press; the alert and the audit entry happen once per notice.
 */
export class AccountProtection {
  constructor(private readonly deps: AccountProtectionDependencies) {}

  /** `notice` names the notification pressed (its message ts), so each notice is reported once. */
  async reportNotMe(reporter: SlackPersonRef, notice: string): Promise<NotMeResult> {
    const { directory, passwords, audit, dedupe } = this.deps;
    const actor = slackOwner(reporter);
    const account = await directory.getBySlackUser(reporter.teamId, reporter.userId);
    if (account === null) {
      await audit.record({
        actor,
        action: 'account.not-me',
        outcome: 'refused',
        detail: { reason: 'not-linked' },
      });
      return { outcome: 'not-linked' };
    }
    const { accountId } = account;
    await directory.setSelfServiceLock(accountId, true, this.deps.lockReason);
    await passwords.revokeAccess(accountId);
    await directory.bumpCredentialVersion(accountId);
    const flowsEnded = await this.deps.endOpenFlows(account);

    const first = await dedupe.claim(`not-me:${accountId}:${notice}`, REPORT_MEMORY_MS);
    if (!first) return { outcome: 'already-reported', accountId };
    await audit.record({
      actor,
      accountId,
      action: 'account.not-me',
      outcome: 'success',
      detail: { flowsEnded: String(flowsEnded) },
    });
    await this.deps.alertSupport({ reporter, accountId });
    return { outcome: 'locked', accountId, flowsEnded };
  }
}
