import type { AnyMachineSnapshot, EventObject } from 'xstate';
import type { CodeState, SendCodeOutput, VerifyCodeOutput } from '../shared/codes.js';

/** Fixed times: the model's state space stays finite when every event carries a known clock. */
export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const USER_NOW = T0 + 1_000;
export const IDLE_MS = 30 * 60_000;
export const CODE_TTL_MS = 10 * 60_000;
export const RESEND_AFTER_MS = 60_000;
export const WINDOW_MS = 5 * 60_000;

export const base = { now: T0, idleTimeoutMs: IDLE_MS };

export const bothMethods = { sms: true, email: true };

/** An event with a payload, for the traversal's untyped event lists. */
export const ev = (type: string, fields: Record<string, unknown> = {}): EventObject =>
  ({ type, ...fields }) as EventObject;

const done = (id: string, output: unknown): EventObject =>
  ({ type: `xstate.done.actor.${id}`, output }) as EventObject;

export const doneWith = (id: string, outputs: unknown[]): Record<string, EventObject[]> => ({
  [`xstate.done.actor.${id}`]: outputs.map((output) => done(id, output)),
});

const sendOutputs: SendCodeOutput[] = [
  {
    outcome: 'sent',
    maskedTarget: '+86 138****5678',
    expiresAt: USER_NOW + CODE_TTL_MS,
    resendAt: USER_NOW + RESEND_AFTER_MS,
  },
  { outcome: 'cooldown', retryAt: USER_NOW + RESEND_AFTER_MS },
  { outcome: 'send-limit', retryAt: USER_NOW + 3_600_000 },
  { outcome: 'locked', retryAt: USER_NOW + 900_000 },
];

const verifyOutputs: VerifyCodeOutput[] = [
  { outcome: 'ok' },
  { outcome: 'wrong', attemptsLeft: 4 },
  { outcome: 'exhausted' },
  { outcome: 'expired' },
  { outcome: 'none' },
  { outcome: 'locked', retryAt: USER_NOW + 900_000 },
];

export function contextOf(snapshot: AnyMachineSnapshot): Record<string, unknown> {
  return snapshot.context as Record<string, unknown>;
}

/** TICKs that matter in a snapshot: at the code's expiry and at the idle deadline. */
export function ticks(
  snapshot: AnyMachineSnapshot,
  extraDeadlines: Array<number | null> = [],
): EventObject[] {
  const context = contextOf(snapshot);
  const code = context.code as CodeState | null | undefined;
  const deadlines = [code?.expiresAt, context.idleDeadline as number | null, ...extraDeadlines];
  return [...new Set(deadlines.filter((d): d is number => typeof d === 'number'))].map((now) =>
    ev('TICK', { now }),
  );
}

/** RESEND just before and at the moment a resend is allowed. */
function resends(snapshot: AnyMachineSnapshot): EventObject[] {
  const code = contextOf(snapshot).code as CodeState | null | undefined;
  if (!code) return [ev('RESEND', { now: USER_NOW })];
  return [ev('RESEND', { now: code.resendAt - 1 }), ev('RESEND', { now: code.resendAt })];
}

/** The events every code-confirming state is tried with. */
export function codeSamples(snapshot: AnyMachineSnapshot): Record<string, EventObject[]> {
  return {
    SUBMIT_CODE: [ev('SUBMIT_CODE', { code: '123456', now: USER_NOW })],
    RESEND: resends(snapshot),
    USE_ALTERNATE: [ev('USE_ALTERNATE', { now: USER_NOW })],
    TICK: ticks(snapshot),
    CANCEL: [ev('CANCEL', { now: USER_NOW })],
    ...doneWith('sendCode', sendOutputs),
    ...doneWith('verifyCode', verifyOutputs),
  };
}
