import type { EventObject } from 'xstate';
import { outputOf, isPast } from './flow.js';
import type { FlowMessageKey } from './messages.js';

/** Mirrors the code service's purposes (src/ports/code-store.ts) without importing src/. */
export type CodePurpose =
  | 'step-up'
  | 'contact-mobile'
  | 'security-mobile'
  | 'contact-email'
  | 'verification-email'
  | 'login-email'
  | 'account-link'
  | 'reset-identity';

export type CodeChannel = 'sms' | 'email';

/** Fields of the account that can receive a code. */
export type AccountAddressField =
  'contactMobile' | 'securityMobile' | 'contactEmail' | 'verificationEmail' | 'loginEmail';

/**
 * Where a code goes. `current`: an address the account already has (the service looks it
 * up); `new`: the value the person is confirming, normalised by the `checkValue` actor.
 */
export type CodeTarget =
  | { kind: 'current'; field: AccountAddressField }
  | { kind: 'new'; field: AccountAddressField; value: string };

/**
 * Input of `sendCode`. `step` names the state that sends, so the engine keys the effect by
 * flow id + step and a re-run after restore does not send twice.
 */
export interface SendCodeInput {
  step: string;
  purpose: CodePurpose;
  channel: CodeChannel;
  target: CodeTarget;
}

/** `delayed`: the first delivery attempt failed or had not finished; the message keeps retrying. */
export type SendCodeOutput =
  | { outcome: 'sent'; maskedTarget: string; expiresAt: number; resendAt: number; delayed?: true }
  | { outcome: 'cooldown' | 'send-limit' | 'locked'; retryAt: number };

/**
 * Input of `verifyCode`. `code` is what the person typed: it comes from the SUBMIT_CODE
 * event straight into this input and never into context. States invoking it carry the
 * `holdsSecret` tag.
 */
export interface VerifyCodeInput {
  step: string;
  purpose: CodePurpose;
  channel: CodeChannel;
  target: CodeTarget;
  code: string;
}

export type VerifyCodeOutput =
  | { outcome: 'ok' }
  | { outcome: 'wrong'; attemptsLeft: number }
  | { outcome: 'exhausted' | 'expired' | 'none' }
  | { outcome: 'locked'; retryAt: number };

/** What the person needs to see about the live code; nothing secret. */
export interface CodeState {
  channel: CodeChannel;
  maskedTarget: string;
  expiresAt: number;
  resendAt: number;
  attemptsLeft: number | null;
  /** The person is told the code is late rather than on its way. */
  delayed?: true;
}

export interface SubmitCodeEvent {
  type: 'SUBMIT_CODE';
  code: string;
  now: number;
}

export interface ResendCodeEvent {
  type: 'RESEND';
  now: number;
}

export function sendOutcome(event: EventObject): SendCodeOutput['outcome'] | undefined {
  return outputOf<SendCodeOutput>(event)?.outcome;
}

export function verifyOutcome(event: EventObject): VerifyCodeOutput['outcome'] | undefined {
  return outputOf<VerifyCodeOutput>(event)?.outcome;
}

export function sentCode(event: EventObject, channel: CodeChannel): CodeState | null {
  const output = outputOf<SendCodeOutput>(event);
  if (output?.outcome !== 'sent') return null;
  return {
    channel,
    maskedTarget: output.maskedTarget,
    expiresAt: output.expiresAt,
    resendAt: output.resendAt,
    attemptsLeft: null,
    ...(output.delayed ? { delayed: true as const } : {}),
  };
}

export function afterWrongCode(code: CodeState | null, event: EventObject): CodeState | null {
  const output = outputOf<VerifyCodeOutput>(event);
  if (code === null || output?.outcome !== 'wrong') return code;
  return { ...code, attemptsLeft: output.attemptsLeft };
}

/** A refused send, as the notice the person reads. */
export function sendRefusal(event: EventObject): FlowMessageKey {
  const outcome = sendOutcome(event);
  if (outcome === 'locked') return 'code.locked';
  if (outcome === 'cooldown') return 'code.resendTooSoon';
  return 'code.sendLimit';
}

/** A verify answer that leaves no usable code, as the notice the person reads. */
export function deadCodeNotice(event: EventObject): FlowMessageKey {
  const outcome = verifyOutcome(event);
  if (outcome === 'exhausted') return 'code.exhausted';
  if (outcome === 'none') return 'code.noLiveCode';
  return 'code.expired';
}

export const isCodeExpired = (code: CodeState | null, event: EventObject): boolean =>
  isPast(code?.expiresAt, event);

export const mayResend = (code: CodeState | null, event: EventObject): boolean =>
  code === null || isPast(code.resendAt, event);

/** A code that can no longer be entered (wrong too often, expired, replaced): kept for its resend time only. */
export function retiredCode(code: CodeState | null): CodeState | null {
  return code === null ? null : { ...code, attemptsLeft: 0 };
}

export const hasLiveCode = (code: CodeState | null): boolean => code !== null && code.attemptsLeft !== 0;

/** A refused send keeps the code as it was and moves its resend time to when a send may work again. */
export function afterRefusedSend(code: CodeState | null, event: EventObject): CodeState | null {
  const output = outputOf<SendCodeOutput>(event);
  if (code === null || output === undefined || output.outcome === 'sent') return code;
  return { ...code, resendAt: Math.max(code.resendAt, output.retryAt) };
}
