import type { Account } from '../../domain/account.js';
import type { EngineNoticeKind } from '../../ports/direct-messenger.js';
import type { EffectDependencies } from './context.js';
import { accountOwner } from '../../domain/flow-owner.js';
import { errorKind } from '../../core/errors.js';

/** An attack on the account its owner must hear of, with the moment the lock it caused ends. */
export interface OwnerAlarm {
  notice: EngineNoticeKind;
  mail: 'codes-locked' | 'password-cooldown';
  until: number;
  /** The flow the attack came through; the DM and the audit name it. */
  flowId: string;
  actor: string;
}

/**
 * Tells the owner by DM on every linked Slack user and by email, since the guesser may be
 * in Slack, and audits it. The lock holds whether or not the notices go out, so their
 * failure is audited and logged, never thrown. The mail id carries the lock's end, so a
 * retried call for the same lock sends one mail.
 */
export async function alarmOwner(
  deps: EffectDependencies,
  account: Account,
  alarm: OwnerAlarm,
): Promise<void> {
  const mailbox = account.loginEmail ?? account.verificationEmail;
  const recorded = {
    actor: alarm.actor,
    flowId: alarm.flowId,
    accountId: account.accountId,
    action: 'owner.alarmed',
  };
  try {
    await deps.messenger.send({
      kind: alarm.notice,
      owner: accountOwner(account.accountId),
      accountId: account.accountId,
      flowId: alarm.flowId,
      detail: { until: String(alarm.until) },
    });
    if (mailbox !== null) {
      await deps.delivery.email({
        id: `${account.accountId}:${alarm.mail}:${alarm.until}`,
        to: mailbox,
        accountId: account.accountId,
        template: { kind: alarm.mail, until: alarm.until, name: account.accountName },
      });
    }
    await deps.audit.record({ ...recorded, outcome: 'success', detail: { kind: alarm.notice } });
  } catch (error) {
    deps.logger.error({ account: account.accountId, err: errorKind(error) }, 'owner alarm not sent');
    await deps.audit
      .record({ ...recorded, outcome: 'failure', detail: { kind: alarm.notice } })
      .catch(() => undefined);
  }
}
