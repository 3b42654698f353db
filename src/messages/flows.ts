import type { FlowMessageKey } from '../../machines/shared/messages.js';
import type { AppConfig } from '../config/config.js';
import { waitText } from './codes.js';

/** The configured durations some sentences state: every number in the SPEC is configurable. */
export interface FlowTimings {
  codeTtlMs: number;
  codeLockMs: number;
  wrongPasswordCooldownMs: number;
  resetLinkTtlMs: number;
}

export function flowTimings(config: Pick<AppConfig, 'codes' | 'links' | 'passwords'>): FlowTimings {
  return {
    codeTtlMs: config.codes.ttlMs,
    codeLockMs: config.codes.lockMs,
    wrongPasswordCooldownMs: config.passwords.wrongPasswordCooldownMs,
    resetLinkTtlMs: config.links.resetTtlMs,
  };
}

/**
 * What the flow machines report (notices and end reasons), keyed by the message keys in
 * machines/shared/messages.ts. The `satisfies` clause makes a key without a sentence a type
 * error. Refusals say why and what to do next; none repeats a code, link or address.
 */
export const flows = {
  'flow.completed': 'All done. You can close this message.',
  'flow.cancelled': 'Cancelled. Nothing was changed. Start again from the menu whenever you like.',
  'flow.idleExpired':
    'This request timed out after a while without activity, so nothing was changed. Start it again from the menu.',
  'flow.effectFailed':
    'Something on our side did not respond. Nothing was changed by this step; please try again in a minute.',
  'flow.hashingBusy':
    'Many password changes are being checked right now, so yours could not be checked yet. Nothing was changed; please submit it again in a moment.',
  'code.wrong': 'That code is not right. Check the latest message and try again.',
  'code.expired': (t: FlowTimings) =>
    `That code has expired. Ask for a new one and enter it within ${waitText(t.codeTtlMs)}.`,
  'code.exhausted': 'That code was entered wrongly too many times and no longer works. Ask for a new one.',
  'code.noLiveCode': 'There is no active code for this request. Ask for a new one.',
  'code.locked':
    'Too many failed codes: verification is paused for this account for a while. Try again later or ask support.',
  'code.resendTooSoon': 'A code was sent a moment ago, so a new one cannot be sent yet.',
  'code.sendLimit':
    'We have sent as many codes as we can for now. Ask again once the wait is over, or ask support.',
  'code.resent': 'A new code is on its way; the previous one no longer works.',
  'stepUp.verified': 'Identity confirmed. You can make sensitive changes for the next few minutes.',
  'stepUp.windowOpen': 'You confirmed your identity a moment ago, so no code is needed.',
  'stepUp.noMethod':
    'We have no separate way to confirm it is you: a security mobile, or a verification email other than the mailbox a reset link went to. Please ask in the support channel.',
  'stepUp.attemptOver':
    'That code was entered wrongly too many times, so this attempt has ended. Start again to get a new code.',
  // Repeated locks within a day last longer, so the configured lock is the least of it.
  'stepUp.locked': (t: FlowTimings) =>
    `Too many failed attempts: identity verification is locked for at least ${waitText(t.codeLockMs)}. Try again later or ask support.`,
  'change.saved': 'Saved. Your account now uses the new details.',
  'change.savedNotifyFailed':
    'Saved. We could not send the usual notice about this change; your account is updated all the same.',
  'change.conflict':
    'This could not be saved because the account changed meanwhile. Start again to see the current details.',
  'contactEmail.savedUnverified':
    'Your new contact email is saved but not verified yet, so it receives no messages. Verify it from the menu.',
  'loginEmail.changeFailed':
    'The login email could not be changed to that address. Try a different address or ask support.',
  'basicInfo.saved': 'Saved. Your account information is up to date.',
  'password.needsLoginEmail':
    'This account has no login email, which a password change needs. Add a login email first, then try again.',
  'password.linkExpired': 'The password page link has expired. Ask for a new link.',
  'password.changed': 'Your password was changed. We sent you a confirmation by email.',
  'password.currentPasswordCooldown': (t: FlowTimings) =>
    `The current password was wrong too many times in a row. Wait ${waitText(t.wrongPasswordCooldownMs)}, or reset your password instead.`,
  'password.mismatch': 'The two passwords do not match. Type the same new password twice.',
  'reset.linkOnItsWay': (t: FlowTimings) =>
    `If an account uses that login email, a reset link is on its way to it. The link works for ${waitText(t.resetLinkTtlMs)}.`,
  'reset.linkInvalid': 'This reset link is no longer valid. Ask for a new one from the sign-in page.',
  'reset.passwordSaved':
    'Your new password is saved. Sign in with it now; open requests, codes and links for your account were cancelled.',
  'identity.submitted': 'Submitted for review. You will hear from us by the date shown.',
  'identity.verified': 'Your identity is verified.',
  'identity.rejected': 'Your identity submission was not accepted. You can submit it again at any time.',
  'identity.rejectReasonRequired':
    'A rejection needs a reason the person can act on. Add one and reject again.',
  'identity.reviewFailed': 'The decision could not be recorded. Nothing was changed; please try again.',
  'link.linked': 'Your Slack account is now linked to your account.',
  'link.supportNotified': 'Support has been told and will contact you to link your account.',
  'link.alreadyLinked': 'Your Slack account is already linked. Nothing to do.',
  'unlock.unlocked':
    'Your company account is unlocked: sign in again with your password. If you do not know it any more, reset it ("forgot password").',
  'unlock.notLocked': 'Your company account is not locked, so there is nothing to unlock.',
} as const satisfies Record<FlowMessageKey, string | ((timings: FlowTimings) => string)>;

/** The sentence for a flow's message key, with the configured durations filled in. */
export function flowText(key: FlowMessageKey, timings: FlowTimings): string {
  const sentence: string | ((timings: FlowTimings) => string) = flows[key];
  return typeof sentence === 'string' ? sentence : sentence(timings);
}
