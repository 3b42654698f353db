import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { changeContactEmailMachine } from './change-contact-email.js';
import { changeContactMobileMachine } from './change-contact-mobile.js';
import { changeLoginEmailMachine } from './change-login-email.js';
import { changeSecurityMobileMachine } from './change-security-mobile.js';
import type { ContactChangeInput } from './shared/contact-change.js';
import type { CheckValueInput, CheckValueOutput } from './shared/effects.js';
import { viewOf } from './shared/flow-view.js';
import {
  GOOD_CODE,
  codeScript,
  restored,
  send,
  started,
  withScript,
  type Calls,
  type Script,
} from './testing/drive.js';
import { IDLE_MS, T0, USER_NOW, WINDOW_MS, base, bothMethods } from './testing/samples.js';

const input = (overrides: Partial<ContactChangeInput> = {}): ContactChangeInput => ({
  ...base,
  privilegedUntil: 0,
  privilegedWindowMs: WINDOW_MS,
  methods: bothMethods,
  ...overrides,
});

const insideWindow = input({ privilegedUntil: T0 + 60_000 });

const effects = (check: (input: CheckValueInput) => CheckValueOutput): Script => ({
  ...codeScript(),
  checkValue: check,
  saveChange: () => ({ outcome: 'saved' }),
  notify: () => undefined,
});

const accept =
  (value: string, taken = false) =>
  () => ({ outcome: 'ok' as const, value, taken });

const viewName = (actor: AnyActorRef) => {
  const view = viewOf(actor.getSnapshot());
  return view === null ? null : `${view.machineId}:${view.meta.view}`;
};

describe('change contact mobile (3.3)', () => {
  it('sends the code to the new number, confirms and saves it without step-up', async () => {
    const calls: Calls = {};
    const actor = await started(
      withScript(changeContactMobileMachine, effects(accept('+8613812345678')), calls),
      input(),
    );
    expect(viewName(actor)).toBe('changeContactMobile:enterValue');
    await send(actor, { type: 'SUBMIT_VALUE', value: '138 1234 5678', now: USER_NOW });
    expect(calls.sendCode?.[0]).toMatchObject({
      purpose: 'contact-mobile',
      target: { kind: 'new', field: 'contactMobile', value: '+8613812345678' },
    });
    await send(actor, { type: 'SUBMIT_CODE', code: GOOD_CODE, now: USER_NOW });
    expect(calls.saveChange).toEqual([
      { step: 'save#1', field: 'contactMobile', value: '+8613812345678', verified: true },
    ]);
    expect(actor.getSnapshot().output).toEqual({ status: 'done', reason: 'change.saved' });
  });

  it('returns a validator error to the number field', async () => {
    const actor = await started(
      withScript(
        changeContactMobileMachine,
        effects(() => ({ outcome: 'invalid', error: { key: 'phone.invalid' } })),
      ),
      input(),
    );
    await send(actor, { type: 'SUBMIT_VALUE', value: '12', now: USER_NOW });
    expect(actor.getSnapshot().value).toBe('enterValue');
    expect(actor.getSnapshot().context.fieldError).toEqual({ key: 'phone.invalid' });
  });

  it('ends idle flows on the TICK at the idle deadline', async () => {
    const actor = await started(
      withScript(changeContactMobileMachine, effects(accept('+8613812345678'))),
      input(),
    );
    await send(actor, { type: 'SUBMIT_VALUE', value: '138', now: USER_NOW });
    await send(actor, { type: 'TICK', now: USER_NOW + IDLE_MS - 1 });
    expect(actor.getSnapshot().status).toBe('active');
    await send(actor, { type: 'TICK', now: USER_NOW + IDLE_MS });
    expect(actor.getSnapshot().output).toEqual({ status: 'failed', reason: 'flow.idleExpired' });
  });
});

describe('change security mobile (3.4)', () => {
  it('skips step-up inside the privileged window', async () => {
    const calls: Calls = {};
    const actor = await started(
      withScript(changeSecurityMobileMachine, effects(accept('+8613800000000')), calls),
      insideWindow,
    );
    expect(viewName(actor)).toBe('changeSecurityMobile:enterValue');
    expect(calls.sendCode).toBeUndefined();
  });

  it('runs step-up first, forwarding the code to it, then notifies the old number', async () => {
    const calls: Calls = {};
    const actor = await started(
      withScript(changeSecurityMobileMachine, effects(accept('+8613800000000')), calls),
      input(),
    );
    expect(viewName(actor)).toBe('codeChallenge:enterCode');
    await send(actor, { type: 'SUBMIT_CODE', code: GOOD_CODE, now: USER_NOW });
    expect(viewName(actor)).toBe('changeSecurityMobile:enterValue');
    expect(actor.getSnapshot().context.privilegedUntil).toBe(USER_NOW + WINDOW_MS);
    await send(actor, { type: 'SUBMIT_VALUE', value: '138 0000 0000', now: USER_NOW });
    await send(actor, { type: 'SUBMIT_CODE', code: GOOD_CODE, now: USER_NOW });
    expect(calls.notify).toEqual([{ step: 'notifyPrevious', kind: 'securityMobileChanged' }]);
    expect(actor.getSnapshot().output).toEqual({ status: 'done', reason: 'change.saved' });
  });

  it('fails with the step-up reason when step-up fails', async () => {
    const actor = await started(withScript(changeSecurityMobileMachine, effects(accept('+86138'))), input());
    for (let attempt = 0; attempt < 5; attempt += 1)
      await send(actor, { type: 'SUBMIT_CODE', code: '999999', now: USER_NOW });
    expect(actor.getSnapshot().output).toEqual({ status: 'failed', reason: 'stepUp.attemptOver' });
  });

  it('is cancelled from inside step-up', async () => {
    const actor = await started(withScript(changeSecurityMobileMachine, effects(accept('+86138'))), input());
    await send(actor, { type: 'CANCEL', now: USER_NOW });
    expect(actor.getSnapshot().output).toEqual({ status: 'cancelled', reason: 'flow.cancelled' });
  });

  it('survives persist and restore in the middle of step-up', async () => {
    const machine = withScript(changeSecurityMobileMachine, effects(accept('+8613800000000')));
    const first = await started(machine, input());
    const persisted = JSON.parse(JSON.stringify(first.getPersistedSnapshot())) as unknown;
    first.stop();
    const second = await restored(machine, persisted);
    expect(viewName(second)).toBe('codeChallenge:enterCode');
    await send(second, { type: 'SUBMIT_CODE', code: GOOD_CODE, now: USER_NOW });
    expect(viewName(second)).toBe('changeSecurityMobile:enterValue');
  });
});

describe('change login email (3.7)', () => {
  async function runTo(taken: boolean) {
    const actor = await started(
      withScript(changeLoginEmailMachine, effects(accept('new@example.com', taken))),
      insideWindow,
    );
    const views: Array<string | null> = [viewName(actor)];
    await send(actor, { type: 'SUBMIT_VALUE', value: 'new@example.com', now: USER_NOW });
    const view = viewOf(actor.getSnapshot());
    views.push(viewName(actor), JSON.stringify(view?.view === 'enterCode' ? view.context.code : undefined));
    return { actor, views };
  }

  it('answers a taken address exactly like a free one until the code step', async () => {
    const free = await runTo(false);
    const taken = await runTo(true);
    expect(taken.views).toEqual(free.views);
  });

  it('fails a taken address generically at the code step, even with the right code', async () => {
    const { actor } = await runTo(true);
    await send(actor, { type: 'SUBMIT_CODE', code: GOOD_CODE, now: USER_NOW });
    expect(actor.getSnapshot().output).toEqual({ status: 'failed', reason: 'loginEmail.changeFailed' });
  });

  it('gives the same generic failure when the address is taken meanwhile', async () => {
    const machine = withScript(changeLoginEmailMachine, {
      ...effects(accept('new@example.com')),
      saveChange: () => ({ outcome: 'conflict' }),
    });
    const actor = await started(machine, insideWindow);
    await send(actor, { type: 'SUBMIT_VALUE', value: 'new@example.com', now: USER_NOW });
    await send(actor, { type: 'SUBMIT_CODE', code: GOOD_CODE, now: USER_NOW });
    expect(actor.getSnapshot().output).toEqual({ status: 'failed', reason: 'loginEmail.changeFailed' });
  });
});

describe('change contact email (3.5)', () => {
  it('saves the address unverified before sending the code, then marks it verified', async () => {
    const calls: Calls = {};
    const actor = await started(
      withScript(changeContactEmailMachine, effects(accept('me@example.com')), calls),
      input(),
    );
    await send(actor, { type: 'SUBMIT_VALUE', value: 'me@example.com', now: USER_NOW });
    expect(calls.saveChange).toEqual([
      { step: 'saveUnverified#1', field: 'contactEmail', value: 'me@example.com', verified: false },
    ]);
    expect(viewName(actor)).toBe('codeChallenge:enterCode');
    await send(actor, { type: 'SUBMIT_CODE', code: GOOD_CODE, now: USER_NOW });
    expect(calls.saveChange?.[1]).toMatchObject({ verified: true });
    expect(actor.getSnapshot().output).toEqual({ status: 'done', reason: 'change.saved' });
  });

  it('reminds the person to verify when they leave with the address unverified', async () => {
    const actor = await started(
      withScript(changeContactEmailMachine, effects(accept('me@example.com'))),
      input(),
    );
    await send(actor, { type: 'SUBMIT_VALUE', value: 'me@example.com', now: USER_NOW });
    await send(actor, { type: 'CANCEL', now: USER_NOW });
    expect(actor.getSnapshot().output).toEqual({
      status: 'cancelled',
      reason: 'contactEmail.savedUnverified',
    });
  });
});
