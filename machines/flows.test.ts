import { describe, expect, it } from 'vitest';
import { changePasswordMachine, type ChangePasswordInput } from './change-password.js';
import { editBasicInfoMachine } from './edit-basic-info.js';
import { identityVerificationMachine } from './identity-verification.js';
import { linkSlackUserMachine } from './link-slack-user.js';
import { resetPasswordMachine, type ResetPasswordInput } from './reset-password.js';
import { holdsSecret, viewOf } from './shared/flow-view.js';
import { GOOD_CODE, codeScript, send, settle, started, withScript, type Calls } from './testing/drive.js';
import { IDLE_MS, T0, USER_NOW, WINDOW_MS, base, bothMethods } from './testing/samples.js';

describe('edit basic information (3.2)', () => {
  it('returns field errors from the validator, then saves and shows the overview again', async () => {
    let valid = false;
    const calls: Calls = {};
    const machine = withScript(
      editBasicInfoMachine,
      {
        saveBasicInfo: () =>
          valid
            ? { outcome: 'saved' }
            : { outcome: 'invalid', fieldErrors: { postalCode: 'validation.postalCode' } },
      },
      calls,
    );
    const actor = await started(machine, base);
    await send(actor, { type: 'EDIT', section: 'address', now: USER_NOW });
    await send(actor, { type: 'SUBMIT_FORM', values: { postalCode: 'x' }, now: USER_NOW });
    expect(actor.getSnapshot().value).toBe('editing');
    expect(actor.getSnapshot().context.fieldErrors).toEqual({ postalCode: 'validation.postalCode' });
    valid = true;
    await send(actor, { type: 'SUBMIT_FORM', values: { postalCode: '310000' }, now: USER_NOW });
    expect(actor.getSnapshot().value).toBe('overview');
    expect(actor.getSnapshot().context.notice).toBe('basicInfo.saved');
    expect(calls.saveBasicInfo?.[1]).toEqual({
      step: 'saveBasicInfo#2',
      section: 'address',
      values: { postalCode: '310000' },
    });
  });
});

const passwordInput = (overrides: Partial<ChangePasswordInput> = {}): ChangePasswordInput => ({
  ...base,
  hasLoginEmail: true,
  privilegedUntil: T0 + 60_000,
  privilegedWindowMs: WINDOW_MS,
  methods: bothMethods,
  ...overrides,
});

const passwordEffects = {
  ...codeScript(),
  mintPasswordLink: () => ({ linkId: 'link-1', expiresAt: USER_NOW + 10 * 60_000 }),
  changePasswordOnPage: (input: { current: string }) =>
    input.current === 'right'
      ? { outcome: 'changed' }
      : { outcome: 'refused', errors: [{ key: 'password.wrongCurrent', params: { attemptsLeft: 4 } }] },
  notify: () => undefined,
};

const passwords = (current: string) => ({
  type: 'SUBMIT_PASSWORDS' as const,
  current,
  password: 'n3w.Secret',
  confirmation: 'n3w.Secret',
  now: USER_NOW,
});

describe('change password (3.8)', () => {
  it('explains and stops without a login email', async () => {
    const actor = await started(
      withScript(changePasswordMachine, passwordEffects),
      passwordInput({ hasLoginEmail: false }),
    );
    expect(actor.getSnapshot().output).toEqual({ status: 'failed', reason: 'password.needsLoginEmail' });
  });

  it('mints the page link after step-up and finishes itself on the page form', async () => {
    const calls: Calls = {};
    const actor = await started(withScript(changePasswordMachine, passwordEffects, calls), passwordInput());
    expect(viewOf(actor.getSnapshot())?.meta.view).toBe('openPasswordPage');
    expect(actor.getSnapshot().context.link).toEqual({ linkId: 'link-1', expiresAt: USER_NOW + 600_000 });
    await send(actor, passwords('wrong'));
    expect(viewOf(actor.getSnapshot())?.meta.view).toBe('openPasswordPage');
    expect(actor.getSnapshot().context.pageAnswer).toEqual({
      outcome: 'refused',
      errors: [{ key: 'password.wrongCurrent', params: { attemptsLeft: 4 } }],
    });
    await send(actor, passwords('right'));
    expect(calls.changePasswordOnPage).toHaveLength(2);
    expect(calls.notify).toEqual([{ step: 'notifyPasswordChanged', kind: 'passwordChanged' }]);
    expect(actor.getSnapshot().output).toEqual({ status: 'done', reason: 'password.changed' });
  });

  it('expires the link on TICK and renews it through step-up, skipped while the window is open', async () => {
    const calls: Calls = {};
    const actor = await started(withScript(changePasswordMachine, passwordEffects, calls), passwordInput());
    await send(actor, { type: 'TICK', now: USER_NOW + 600_000 });
    expect(actor.getSnapshot().value).toBe('linkExpired');
    await send(actor, { type: 'RENEW_LINK', now: T0 + 59_000 });
    expect(actor.getSnapshot().value).toBe('awaitingPage');
    expect(calls.mintPasswordLink).toEqual([{ step: 'mintLink#1' }, { step: 'mintLink#2' }]);
    expect(calls.sendCode).toBeUndefined();
  });

  it('asks for step-up again once the window has closed', async () => {
    const actor = await started(withScript(changePasswordMachine, passwordEffects), passwordInput());
    await send(actor, { type: 'TICK', now: USER_NOW + 600_000 });
    await send(actor, { type: 'RENEW_LINK', now: T0 + 60_000 });
    const view = viewOf(actor.getSnapshot());
    expect(view?.view === 'enterCode' && view.context.purpose).toBe('step-up');
  });
});

const resetPage: ResetPasswordInput = {
  ...base,
  entry: 'page',
  linkExpiresAt: T0 + 48 * 3_600_000,
  privilegedWindowMs: WINDOW_MS,
  methods: bothMethods,
};

const resetEffects = {
  requestResetLink: () => undefined,
  stageNewPassword: () => ({ outcome: 'staged' }),
  commitNewPassword: () => ({ outcome: 'saved' }),
  notify: () => undefined,
};

describe('reset password (3.9)', () => {
  it('gives one answer for the request, whatever the address', async () => {
    const actor = await started(withScript(resetPasswordMachine, resetEffects), {
      ...base,
      entry: 'request',
    });
    await send(actor, { type: 'SUBMIT_LOGIN_EMAIL', loginEmail: 'nobody@example.com', now: USER_NOW });
    expect(actor.getSnapshot().output).toEqual({ status: 'done', reason: 'reset.linkOnItsWay' });
  });

  it('refuses two different passwords before anything is checked', async () => {
    const calls: Calls = {};
    const actor = await started(withScript(resetPasswordMachine, resetEffects, calls), resetPage);
    await send(actor, {
      type: 'SUBMIT_NEW_PASSWORD',
      password: 'a.1bcdefg',
      confirmation: 'other',
      now: USER_NOW,
    });
    expect(actor.getSnapshot().context.notice).toBe('password.mismatch');
    expect(calls.stageNewPassword).toBeUndefined();
  });

  it('checks identity with a code after staging the password, then saves and notifies', async () => {
    const calls: Calls = {};
    const actor = await started(withScript(resetPasswordMachine, resetEffects, calls), resetPage);
    await send(actor, {
      type: 'SUBMIT_NEW_PASSWORD',
      password: 'n3w.Secret',
      confirmation: 'n3w.Secret',
      now: USER_NOW,
    });
    const view = viewOf(actor.getSnapshot());
    expect(view?.view === 'enterCode' && view.context.purpose).toBe('reset-identity');
    expect(calls.sendCode?.[0]).toMatchObject({ purpose: 'reset-identity', channel: 'sms' });
    expect(JSON.stringify(actor.getPersistedSnapshot())).not.toContain('n3w.Secret');
    await send(actor, { type: 'SUBMIT_CODE', code: GOOD_CODE, now: USER_NOW });
    expect(calls.notify).toEqual([{ step: 'notifyPasswordReset', kind: 'passwordReset' }]);
    expect(actor.getSnapshot().output).toEqual({ status: 'done', reason: 'reset.passwordSaved' });
  });

  it('shows the policy violations from the staging actor', async () => {
    const machine = withScript(resetPasswordMachine, {
      ...resetEffects,
      stageNewPassword: () => ({ outcome: 'rejected', violations: ['credentials.policy.noDigit'] }),
    });
    const actor = await started(machine, resetPage);
    await send(actor, { type: 'SUBMIT_NEW_PASSWORD', password: 'abc', confirmation: 'abc', now: USER_NOW });
    expect(actor.getSnapshot().value).toBe('newPassword');
    expect(actor.getSnapshot().context.violations).toEqual(['credentials.policy.noDigit']);
  });

  it('flags the staging step as holding a secret while it runs', async () => {
    const machine = withScript(resetPasswordMachine, {
      ...resetEffects,
      stageNewPassword: () => new Promise(() => undefined),
    });
    const actor = await started(machine, resetPage);
    actor.send({
      type: 'SUBMIT_NEW_PASSWORD',
      password: 'n3w.Secret',
      confirmation: 'n3w.Secret',
      now: USER_NOW,
    });
    await settle();
    expect(holdsSecret(actor.getSnapshot())).toBe(true);
  });

  it('ends when the link expires, even in the middle of the identity check', async () => {
    const actor = await started(withScript(resetPasswordMachine, resetEffects), resetPage);
    await send(actor, {
      type: 'SUBMIT_NEW_PASSWORD',
      password: 'n3w.Secret',
      confirmation: 'n3w.Secret',
      now: USER_NOW,
    });
    await send(actor, { type: 'TICK', now: resetPage.entry === 'page' ? resetPage.linkExpiresAt : 0 });
    expect(actor.getSnapshot().output).toEqual({ status: 'failed', reason: 'reset.linkInvalid' });
  });
});

const identityEffects = {
  submitIdentity: () => ({ outcome: 'submitted', submissionId: 'sub-1', expectedBy: T0 + 4 * 86_400_000 }),
  recordReview: () => undefined,
  notify: () => undefined,
};

const passport = {
  subject: 'individual',
  documentType: 'passport',
  fullLegalName: 'Ana Lima',
  documentNumber: 'E12345678',
  issuingRegion: 'BR',
};

async function submittedIdentity(calls: Calls = {}) {
  const actor = await started(withScript(identityVerificationMachine, identityEffects, calls), {
    ...base,
    currentStatus: 'unverified',
  });
  await send(actor, { type: 'CHOOSE_SUBJECT', subject: 'individual', now: USER_NOW });
  expect(viewOf(actor.getSnapshot())?.meta.view).toBe('identityWarnings');
  await send(actor, { type: 'ACKNOWLEDGE_WARNINGS', now: USER_NOW });
  await send(actor, { type: 'SUBMIT_IDENTITY', details: passport, now: USER_NOW });
  return actor;
}

describe('identity verification (3.10)', () => {
  it('parks the submission: no idle expiry while reviewers take days, no document number kept', async () => {
    const actor = await submittedIdentity();
    expect(actor.getSnapshot().hasTag('parked')).toBe(true);
    await send(actor, { type: 'TICK', now: USER_NOW + IDLE_MS * 10 });
    expect(actor.getSnapshot().value).toBe('pendingReview');
    expect(JSON.stringify(actor.getPersistedSnapshot())).not.toContain('E12345678');
  });

  it('reminds reviewers once when the expected date has passed', async () => {
    const calls: Calls = {};
    const actor = await submittedIdentity(calls);
    await send(actor, { type: 'TICK', now: T0 + 4 * 86_400_000 });
    await send(actor, { type: 'TICK', now: T0 + 5 * 86_400_000 });
    expect(calls.notify).toEqual([{ step: 'remindReviewers#1', kind: 'identityReviewOverdue' }]);
  });

  it('requires a reason to reject, and lets the person resubmit after a rejection', async () => {
    const calls: Calls = {};
    const actor = await submittedIdentity(calls);
    await send(actor, { type: 'REVIEW_REJECT', reviewerId: 'U-R', reason: ' ', now: USER_NOW });
    expect(actor.getSnapshot().context.notice).toBe('identity.rejectReasonRequired');
    await send(actor, { type: 'REVIEW_REJECT', reviewerId: 'U-R', reason: 'Blurred image', now: USER_NOW });
    expect(actor.getSnapshot().value).toBe('rejected');
    expect(actor.getSnapshot().context.decision).toEqual({ decision: 'rejected', reason: 'Blurred image' });
    expect(calls.notify).toEqual([
      { step: 'announceDecision#1', kind: 'identityRejected', submissionId: 'sub-1' },
    ]);
    await send(actor, { type: 'RESUBMIT', now: USER_NOW });
    expect(actor.getSnapshot().value).toBe('chooseSubject');
  });

  it('approves, records the decision and announces it', async () => {
    const calls: Calls = {};
    const actor = await submittedIdentity(calls);
    await send(actor, { type: 'REVIEW_APPROVE', reviewerId: 'U-R', now: USER_NOW });
    expect(calls.recordReview).toEqual([
      {
        step: 'recordReview#1',
        submissionId: 'sub-1',
        reviewerId: 'U-R',
        decision: { decision: 'approved' },
      },
    ]);
    expect(actor.getSnapshot().output).toEqual({ status: 'done', reason: 'identity.verified' });
  });
});

describe('link Slack user (3.11)', () => {
  it('confirms the match with a code to the login email and links', async () => {
    const calls: Calls = {};
    const machine = withScript(
      linkSlackUserMachine,
      {
        ...codeScript(),
        findAccount: () => ({ outcome: 'found' }),
        linkAccount: () => undefined,
        notify: () => undefined,
      },
      calls,
    );
    const actor = await started(machine, base);
    expect(calls.sendCode?.[0]).toMatchObject({
      purpose: 'account-link',
      target: { kind: 'current', field: 'loginEmail' },
    });
    await send(actor, { type: 'SUBMIT_CODE', code: GOOD_CODE, now: USER_NOW });
    expect(actor.getSnapshot().output).toEqual({ status: 'done', reason: 'link.linked' });
  });

  it('offers to tell support when no account matches', async () => {
    const calls: Calls = {};
    const machine = withScript(
      linkSlackUserMachine,
      { findAccount: () => ({ outcome: 'noMatch' }), notify: () => undefined },
      calls,
    );
    const actor = await started(machine, base);
    expect(viewOf(actor.getSnapshot())?.meta.view).toBe('noAccountMatch');
    await send(actor, { type: 'NOTIFY_SUPPORT', now: USER_NOW });
    expect(calls.notify).toEqual([{ step: 'notifySupport', kind: 'linkNoMatch' }]);
    expect(actor.getSnapshot().output).toEqual({ status: 'done', reason: 'link.supportNotified' });
  });
});
