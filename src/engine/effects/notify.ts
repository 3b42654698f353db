import type { AccountAddressField, NotifyInput } from '../../../machines/index.js';
import type { Account } from '../../domain/account.js';
import { maskEmail, maskPhone } from '../../services/masking.js';
import type { ChangeKind } from '../../services/notifications/templates.js';
import { previousName } from './contact.js';
import { accountOf, audit, flowTag, once, type EffectScope } from './context.js';

/**
 * Tells people what happened, once per flow step: the old address hears of a change
 * (SPEC 3.4, 3.6, 3.7), the owner gets a Slack DM and an email after a password change or
 * a review decision, support or reviewers hear from flows that need them.
 */
export function notify(ctx: EffectScope, input: NotifyInput): Promise<void> {
  return once(ctx, input.step, async () => {
    const account = await accountOf(ctx);
    const detail = await deliver(ctx, input, account);
    await ctx.deps.messenger.send({
      kind: input.kind,
      owner: ctx.binding.owner,
      accountId: account?.accountId ?? null,
      flowId: ctx.binding.flowId,
      detail,
    });
    await audit(ctx, {
      ...(account ? { accountId: account.accountId } : {}),
      action: 'notify.sent',
      outcome: 'success',
      detail: { kind: input.kind },
    });
  });
}

async function previous(ctx: EffectScope, field: AccountAddressField): Promise<string | null> {
  return ctx.deps.scratch.get(flowTag(ctx.binding.flowId), previousName(field));
}

/** Queues the email and SMS the kind calls for; returns what the DM may show. */
async function deliver(
  ctx: EffectScope,
  input: NotifyInput,
  account: Account | null,
): Promise<Record<string, string>> {
  if (account === null) return {};
  const { kind } = input;
  const { delivery, clock } = ctx.deps;
  const at = clock.now();
  const id = (suffix: string) => `${ctx.binding.flowId}:${kind}:${suffix}`;
  const base = { accountId: account.accountId };
  const name = account.accountName;
  const changeEmail = (to: string | null, change: ChangeKind, newValue?: string) =>
    to
      ? delivery.email({
          ...base,
          id: id(`mail:${to}`),
          to,
          template: { kind: 'change-notice', change, at, name, ...(newValue ? { newValue } : {}) },
        })
      : Promise.resolve();
  switch (kind) {
    case 'securityMobileChanged': {
      const old = await previous(ctx, 'securityMobile');
      if (old) {
        await delivery.sms({
          ...base,
          id: id('sms'),
          to: old,
          template: { kind: 'change-notice', change: 'security-mobile', at },
        });
      }
      await changeEmail(account.verificationEmail, 'security-mobile', maskPhone(account.securityMobile));
      return { newValue: maskPhone(account.securityMobile) };
    }
    case 'verificationEmailChanged': {
      await changeEmail(
        await previous(ctx, 'verificationEmail'),
        'verification-email',
        maskEmail(account.verificationEmail),
      );
      return { newValue: maskEmail(account.verificationEmail) };
    }
    case 'loginEmailChanged': {
      await changeEmail(await previous(ctx, 'loginEmail'), 'login-email', maskEmail(account.loginEmail));
      return { newValue: maskEmail(account.loginEmail) };
    }
    case 'passwordChanged':
    case 'passwordReset':
      await changeEmail(account.loginEmail, 'password');
      return {};
    case 'accountUnlocked':
      await changeEmail(account.loginEmail, 'directory-lock');
      return {};
    case 'identityApproved':
      if (account.securityMobile) {
        await delivery.sms({
          ...base,
          id: id('sms'),
          to: account.securityMobile,
          template: { kind: 'identity-approved' },
        });
      }
      if (account.loginEmail) {
        await delivery.email({
          ...base,
          id: id('mail'),
          to: account.loginEmail,
          template: { kind: 'identity-approved', name },
        });
      }
      return {};
    case 'identityRejected': {
      const decided = input.submissionId ? await ctx.deps.directory.getSubmission(input.submissionId) : null;
      const reason = decided?.decision?.reason ?? account.verification.reason ?? '';
      if (account.securityMobile) {
        await delivery.sms({
          ...base,
          id: id('sms'),
          to: account.securityMobile,
          template: { kind: 'identity-rejected', reason },
        });
      }
      if (account.loginEmail) {
        await delivery.email({
          ...base,
          id: id('mail'),
          to: account.loginEmail,
          template: { kind: 'identity-rejected', reason, name },
        });
      }
      // The image of a rejected submission goes as soon as the person has been told.
      await ctx.deps.documentImages.sweep(account.accountId);
      return { reason };
    }
    case 'identityReviewOverdue': {
      const submissionId = account.verification.pendingSubmissionId;
      if (submissionId)
        await ctx.deps.reviewChannel.remindOverdue({ submissionId, accountId: account.accountId });
      return { submission: submissionId ?? '' };
    }
    case 'linkNoMatch':
      return {};
  }
}
