import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { holdsSecret, isBusy, viewOf } from './shared/flow-view.js';
import { stepUpMachine, type StepUpInput } from './step-up.js';
import { GOOD_CODE, codeScript, send, settle, started, withScript, type Calls } from './testing/drive.js';
import { CODE_TTL_MS, T0, USER_NOW, WINDOW_MS, base, bothMethods } from './testing/samples.js';

/** The code loop runs in step-up's code-challenge child: its state and context are what the person sees. */
const challenge = (actor: AnyActorRef) => {
  const view = viewOf(actor.getSnapshot());
  const context = view?.view === 'enterCode' || view?.view === 'codeNeedsResend' ? view.context : null;
  return { step: view?.stateId.split('.').pop(), context };
};

const input = (overrides: Partial<StepUpInput> = {}): StepUpInput => ({
  ...base,
  privilegedUntil: 0,
  privilegedWindowMs: WINDOW_MS,
  methods: bothMethods,
  purpose: 'step-up',
  ...overrides,
});

describe('step-up (3.1)', () => {
  it('is skipped while the privileged window is open, without sending a code', async () => {
    const calls: Calls = {};
    const actor = await started(
      withScript(stepUpMachine, codeScript(), calls),
      input({ privilegedUntil: T0 + 1 }),
    );
    expect(actor.getSnapshot().value).toBe('verified');
    expect(actor.getSnapshot().output).toEqual({
      status: 'done',
      reason: 'stepUp.windowOpen',
      privilegedUntil: T0 + 1,
    });
    expect(calls.sendCode).toBeUndefined();
  });

  it('runs when the window closed exactly now', async () => {
    const actor = await started(withScript(stepUpMachine, codeScript()), input({ privilegedUntil: T0 }));
    expect(challenge(actor).step).toBe('enterCode');
  });

  it('tells an account without any method to contact support', async () => {
    const actor = await started(
      withScript(stepUpMachine, codeScript()),
      input({ methods: { sms: false, email: false } }),
    );
    expect(actor.getSnapshot().output).toMatchObject({ status: 'failed', reason: 'stepUp.noMethod' });
  });

  it('prefers SMS to the security mobile and switches to the verification email on request', async () => {
    const calls: Calls = {};
    const actor = await started(withScript(stepUpMachine, codeScript(), calls), input());
    await send(actor, { type: 'USE_ALTERNATE', now: USER_NOW });
    expect(calls.sendCode).toEqual([
      {
        step: `sendCode#${T0}.1`,
        purpose: 'step-up',
        channel: 'sms',
        target: { kind: 'current', field: 'securityMobile' },
      },
      {
        step: `sendCode#${T0}.2`,
        purpose: 'step-up',
        channel: 'email',
        target: { kind: 'current', field: 'verificationEmail' },
      },
    ]);
    expect(challenge(actor).context?.channel).toBe('email');
  });

  it('offers no alternate when the account has one method', async () => {
    const calls: Calls = {};
    const actor = await started(
      withScript(stepUpMachine, codeScript(), calls),
      input({ methods: { sms: false, email: true } }),
    );
    await send(actor, { type: 'USE_ALTERNATE', now: USER_NOW });
    expect(calls.sendCode).toHaveLength(1);
    expect(challenge(actor).context?.channel).toBe('email');
  });

  it('opens the privileged window from the time the right code was entered', async () => {
    const actor = await started(withScript(stepUpMachine, codeScript()), input());
    await send(actor, { type: 'SUBMIT_CODE', code: GOOD_CODE, now: USER_NOW + 5_000 });
    expect(actor.getSnapshot().output).toEqual({
      status: 'done',
      reason: 'stepUp.verified',
      privilegedUntil: USER_NOW + 5_000 + WINDOW_MS,
    });
  });

  it('ends the attempt after five wrong codes', async () => {
    const actor = await started(withScript(stepUpMachine, codeScript()), input());
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await send(actor, { type: 'SUBMIT_CODE', code: '000000', now: USER_NOW });
      expect(challenge(actor).context).toMatchObject({
        notice: 'code.wrong',
        code: { attemptsLeft: 5 - attempt },
      });
    }
    await send(actor, { type: 'SUBMIT_CODE', code: '000000', now: USER_NOW });
    expect(actor.getSnapshot().output).toMatchObject({ status: 'failed', reason: 'stepUp.attemptOver' });
  });

  it('stops when the verifier reports the lockout', async () => {
    const machine = withScript(stepUpMachine, {
      ...codeScript(),
      verifyCode: () => ({ outcome: 'locked', retryAt: T0 }),
    });
    const actor = await started(machine, input());
    await send(actor, { type: 'SUBMIT_CODE', code: GOOD_CODE, now: USER_NOW });
    expect(actor.getSnapshot().output).toMatchObject({ status: 'failed', reason: 'stepUp.locked' });
  });

  it('moves to "new code needed" on the TICK at expiry, not before', async () => {
    const actor = await started(withScript(stepUpMachine, codeScript()), input());
    await send(actor, { type: 'TICK', now: USER_NOW + CODE_TTL_MS - 1 });
    expect(challenge(actor).step).toBe('enterCode');
    await send(actor, { type: 'TICK', now: USER_NOW + CODE_TTL_MS });
    expect(challenge(actor).step).toBe('needNewCode');
    expect(challenge(actor).context?.notice).toBe('code.expired');
  });

  it('refuses a resend before the cooldown and allows it after', async () => {
    const calls: Calls = {};
    const actor = await started(withScript(stepUpMachine, codeScript(), calls), input());
    await send(actor, { type: 'RESEND', now: USER_NOW + 59_999 });
    expect(challenge(actor).context?.notice).toBe('code.resendTooSoon');
    await send(actor, { type: 'RESEND', now: USER_NOW + 60_000 });
    expect(calls.sendCode).toHaveLength(2);
    expect(challenge(actor).context?.notice).toBe('code.resent');
  });

  it("keeps asking for a new code when a dead code's resend is early or refused, with the real wait", async () => {
    const calls: Calls = {};
    let sends = 0;
    const script = {
      ...codeScript(),
      sendCode: () => {
        sends += 1;
        return sends === 1
          ? {
              outcome: 'sent' as const,
              maskedTarget: '+86 138****5678',
              expiresAt: USER_NOW + CODE_TTL_MS,
              resendAt: USER_NOW + 60_000,
            }
          : { outcome: 'send-limit' as const, retryAt: USER_NOW + 3_600_000 };
      },
      verifyCode: () => ({ outcome: 'none' as const }),
    };
    const actor = await started(withScript(stepUpMachine, script, calls), input());
    await send(actor, { type: 'SUBMIT_CODE', code: '000000', now: USER_NOW });
    expect(challenge(actor).step).toBe('needNewCode');

    await send(actor, { type: 'RESEND', now: USER_NOW + 59_999 });
    expect(challenge(actor).step).toBe('needNewCode');
    expect(challenge(actor).context?.notice).toBe('code.resendTooSoon');
    expect(calls.sendCode).toHaveLength(1);

    await send(actor, { type: 'RESEND', now: USER_NOW + 60_000 });
    expect(calls.sendCode).toHaveLength(2);
    expect(challenge(actor).step).toBe('needNewCode');
    expect(challenge(actor).context?.notice).toBe('code.sendLimit');
    expect(challenge(actor).context?.code).toMatchObject({
      attemptsLeft: 0,
      resendAt: USER_NOW + 3_600_000,
    });
  });

  it('is cancelled from the code entry', async () => {
    const actor = await started(withScript(stepUpMachine, codeScript()), input());
    await send(actor, { type: 'CANCEL', now: USER_NOW });
    expect(actor.getSnapshot().output).toMatchObject({ status: 'cancelled', reason: 'flow.cancelled' });
  });

  it('never keeps the typed code in context, and flags the in-flight check', async () => {
    let release: () => void = () => undefined;
    const machine = withScript(stepUpMachine, {
      ...codeScript(),
      verifyCode: () => new Promise((resolve) => (release = () => resolve({ outcome: 'ok' }))),
    });
    const actor = await started(machine, input());
    actor.send({ type: 'SUBMIT_CODE', code: GOOD_CODE, now: USER_NOW });
    await settle();
    const inFlight = actor.getSnapshot();
    expect(isBusy(inFlight)).toBe(true);
    expect(holdsSecret(inFlight)).toBe(true);
    expect(JSON.stringify(inFlight.context)).not.toContain(GOOD_CODE);
    release();
    await settle();
    await settle();
    expect(JSON.stringify(actor.getPersistedSnapshot())).not.toContain(GOOD_CODE);
  });

  it('shows the code entry with the masked target', async () => {
    const actor = await started(withScript(stepUpMachine, codeScript()), input());
    const { step, context } = challenge(actor);
    expect(step).toBe('enterCode');
    expect(context?.purpose).toBe('step-up');
    expect(context?.code).toMatchObject({ maskedTarget: '+86 138****5678', channel: 'sms' });
  });
});
