import type {
  AccountAddressField,
  CodeTarget,
  SendCodeInput,
  SendCodeOutput,
  VerifyCodeInput,
  VerifyCodeOutput,
} from '../../../machines/index.js';
import type { Account } from '../../domain/account.js';
import type { CodeBinding } from '../../services/codes.js';
import { maskEmail, maskPhone } from '../../services/masking.js';
import type { EmailCodePurpose, SmsCodePurpose } from '../../services/notifications/templates.js';
import {
  audit,
  flowTag,
  once,
  oncePerEntry,
  requireAccount,
  resultTtlMs,
  scratchName,
  type EffectScope,
} from './context.js';
import { alarmOwner } from './owner-alarm.js';

/** The account field that holds each address. */
export function addressOf(account: Account, field: AccountAddressField): string | null {
  switch (field) {
    case 'contactMobile':
      return account.contactNumber;
    case 'securityMobile':
      return account.securityMobile;
    case 'contactEmail':
      return account.contactEmail;
    case 'verificationEmail':
      return account.verificationEmail;
    case 'loginEmail':
      return account.loginEmail;
  }
}

function destination(account: Account, target: CodeTarget): string {
  const address = target.kind === 'new' ? target.value : addressOf(account, target.field);
  if (address === null || address === '') throw new Error(`the account has no ${target.field}`);
  return address;
}

function bindingFor(ctx: EffectScope, accountId: string, input: SendCodeInput | VerifyCodeInput, to: string) {
  const binding: CodeBinding = {
    accountId,
    flowId: ctx.binding.flowId,
    purpose: input.purpose,
    target: to,
    channel: input.channel,
  };
  return binding;
}

/** The scratch entry holding the credential version a flow's code of this purpose was sent under. */
const issuedUnder = (ctx: EffectScope, purpose: SendCodeInput['purpose']): string =>
  scratchName('code-credential', ctx.scope, purpose);

const masked = (channel: 'sms' | 'email', to: string): string =>
  channel === 'sms' ? maskPhone(to) : maskEmail(to);

function emailPurpose(purpose: SendCodeInput['purpose']): EmailCodePurpose {
  if (purpose === 'reset-identity') return 'reset-identity-check';
  if (purpose === 'contact-mobile' || purpose === 'security-mobile') {
    throw new Error(`a ${purpose} code goes by SMS`);
  }
  return purpose;
}

function smsPurpose(purpose: SendCodeInput['purpose']): SmsCodePurpose {
  if (purpose === 'reset-identity') return 'reset-identity-check';
  if (purpose === 'contact-mobile' || purpose === 'security-mobile' || purpose === 'step-up') return purpose;
  throw new Error(`a ${purpose} code goes by email`);
}

/**
 * Issues a code and delivers it through the queue, waiting briefly for the first attempt.
 * Keyed by flow + step: a re-run after restore returns the first run's answer and neither
 * issues a second code nor sends again.
 */
export function sendCode(ctx: EffectScope, input: SendCodeInput): Promise<SendCodeOutput> {
  return once(ctx, `${input.purpose}:${input.step}`, async () => {
    const { deps } = ctx;
    const account = await requireAccount(ctx);
    const to = destination(account, input.target);
    const issued = await deps.codes.issue(bindingFor(ctx, account.accountId, input, to));
    const maskedTarget = masked(input.channel, to);
    if (!issued.ok) {
      await audit(ctx, {
        accountId: account.accountId,
        action: 'code.send',
        outcome: 'refused',
        detail: { purpose: input.purpose, reason: issued.reason },
      });
      return { outcome: issued.reason, retryAt: issued.retryAt };
    }
    await deps.scratch.put(
      flowTag(ctx.binding.flowId),
      issuedUnder(ctx, input.purpose),
      String(account.credentialVersion),
      resultTtlMs(deps),
    );
    const validForMs = deps.config.codes.ttlMs;
    const request = {
      id: `${ctx.binding.flowId}:${ctx.scope}:${input.step}`,
      to,
      accountId: account.accountId,
    };
    const attempt =
      input.channel === 'sms'
        ? await deps.delivery.smsNow({
            ...request,
            template: { kind: 'code', purpose: smsPurpose(input.purpose), code: issued.code, validForMs },
          })
        : await deps.delivery.emailNow({
            ...request,
            template: {
              kind: 'code',
              purpose: emailPurpose(input.purpose),
              code: issued.code,
              validForMs,
              name: account.accountName,
            },
          });
    await audit(ctx, {
      accountId: account.accountId,
      action: 'code.sent',
      outcome: attempt === 'failed' ? 'failure' : 'success',
      detail: { purpose: input.purpose, channel: input.channel, to: maskedTarget, delivery: attempt },
    });
    return {
      outcome: 'sent',
      maskedTarget,
      expiresAt: issued.expiresAt,
      resendAt: issued.resendAvailableAt,
      ...(attempt === 'sent' ? {} : { delayed: true as const }),
    };
  });
}

/**
 * Checks what the person typed. It runs only from a `holdsSecret` state, which is never
 * persisted, so XState cannot re-run it after a restore; it is keyed by the entry so that a
 * double submit of the same code checks it once.
 */
export function verifyCode(ctx: EffectScope, input: VerifyCodeInput): Promise<VerifyCodeOutput> {
  return oncePerEntry(ctx, `${input.purpose}:${input.step}`, input.code, () => checkCode(ctx, input));
}

async function checkCode(ctx: EffectScope, input: VerifyCodeInput): Promise<VerifyCodeOutput> {
  const account = await requireAccount(ctx);
  if (await sentUnderOtherCredentials(ctx, account, input)) {
    await ctx.deps.codes.revokeAll(account.accountId);
    await audit(ctx, {
      accountId: account.accountId,
      action: 'code.verify',
      outcome: 'failure',
      detail: { purpose: input.purpose, result: 'credentials-changed' },
    });
    return { outcome: 'none' };
  }
  const to = destination(account, input.target);
  const result = await ctx.deps.codes.verify(bindingFor(ctx, account.accountId, input, to), input.code);
  await audit(ctx, {
    accountId: account.accountId,
    action: 'code.verify',
    outcome: result.outcome === 'ok' ? 'success' : 'failure',
    detail: { purpose: input.purpose, result: result.outcome },
  });
  if (result.outcome !== 'locked') return result;
  if (result.lockNumber !== undefined) await lockStarted(ctx, account, result.retryAt, result.lockNumber);
  return { outcome: 'locked', retryAt: result.retryAt };
}

/**
 * A password change revokes every code; one made in the directory by another tool is seen only
 * here, as a credential version (it counts pwdChangedTime / pwdLastSet) other than the one the
 * code was sent under. Such a code is dead, and no try is spent on it.
 */
async function sentUnderOtherCredentials(
  ctx: EffectScope,
  account: Account,
  input: VerifyCodeInput,
): Promise<boolean> {
  const sentUnder = await ctx.deps.scratch.get(flowTag(ctx.binding.flowId), issuedUnder(ctx, input.purpose));
  return sentUnder !== null && sentUnder !== String(account.credentialVersion);
}

/** This try locked code entry: audited every time; the owner hears at the first lock of the day. */
async function lockStarted(ctx: EffectScope, account: Account, until: number, lockNumber: number) {
  const { deps, binding } = ctx;
  await audit(ctx, {
    accountId: account.accountId,
    action: 'code.locked',
    outcome: 'info',
    detail: { lockNumber: String(lockNumber), until: new Date(until).toISOString() },
  });
  if (lockNumber !== 1) return;
  await alarmOwner(deps, account, {
    notice: 'codesLocked',
    mail: 'codes-locked',
    until,
    flowId: binding.flowId,
    actor: binding.owner,
  });
}
