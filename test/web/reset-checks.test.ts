import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application } from '../../src/app/application.js';
import { escapeHtml } from '../../src/core/html.js';
import { credentials } from '../../src/messages/credentials.js';
import { engine as engineWords } from '../../src/messages/engine.js';
import { flows } from '../../src/messages/flows.js';
import { notifications } from '../../src/messages/notifications.js';
import { web as words } from '../../src/messages/web.js';
import type { SmsCapture } from '../support/sms-capture.js';
import type { SmtpCapture } from '../support/smtp-capture.js';
import { keysUnder } from '../support/redis.js';
import { HttpClient } from './http-client.js';
import {
  openResetLink as openLinkOf,
  startWholeApplication,
  type WholeApplication,
} from './whole-application.js';

const OLD_PASSWORD = 'Old.pass11';
const TEAM = 'T0RESETCHK';

const escaped = (text: string) => escapeHtml(text);

/**
 * The reset pages over HTTP against the whole application (real Redis, SMTP and SMS
 * capture): the identity check after the mailed link, the form's messages, and what a
 * reset ends and revokes.
 */
describe('reset pages (whole application over HTTP)', () => {
  let whole: WholeApplication;
  let smtp: SmtpCapture;
  let sms: SmsCapture;
  let app: Application;
  let keyPrefix: string;
  let people = 0;

  beforeAll(async () => {
    whole = await startWholeApplication({ RESET_LINK_TTL_SECONDS: '5400' });
    ({ app, smtp, sms } = whole);
    keyPrefix = whole.config.redis.keyPrefix;
  });
  afterAll(async () => {
    await whole?.close();
  });

  async function person(options: { mobile?: string; verificationEmail?: (login: string) => string } = {}) {
    people += 1;
    const loginEmail = `reset.check${people}@example.com`;
    const account = await app.stores.directory.create({
      loginEmail,
      accountName: `Reset Check ${people}`,
      ...(options.mobile ? { securityMobile: options.mobile } : {}),
      ...(options.verificationEmail ? { verificationEmail: options.verificationEmail(loginEmail) } : {}),
      passwordHash: await app.services.credentials.hash(OLD_PASSWORD),
    });
    return { loginEmail, accountId: account.accountId };
  }

  const openResetLink = (loginEmail: string) => openLinkOf(whole, loginEmail);

  async function smsTo(to: string, nth: number): Promise<string> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const text = sms.messages().filter((message) => message.to === to)[nth - 1]?.text;
      if (text) return text;
      if (Date.now() > deadline) throw new Error(`no SMS number ${nth} to ${to}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const codeIn = (text: string): string => /(?<!\d)(\d{6})(?!\d)/.exec(text)?.[1] ?? '';

  async function submitPasswords(client: HttpClient, password: string, confirmation: string) {
    const response = await client.post('/reset/password', {
      _csrf: await client.csrf('/reset'),
      password,
      confirmation,
    });
    return response.text();
  }

  it('says how long the reset link works, as configured, on the page and in the mail', async () => {
    const { loginEmail } = await person();
    const asker = new HttpClient(whole.base);
    const answer = await asker.post('/forgot', { _csrf: await asker.csrf('/forgot'), email: loginEmail });
    const page = await answer.text();
    expect(page).toContain(escaped(words.forgot.sent(5_400_000)));
    expect(page).toContain('The link works for 1 hour 30 minutes.');
    expect((await smtp.waitForMail(loginEmail)).text).toContain('The link is valid for 1 hour 30 minutes');
  });

  it('lists the password rules before the first try', async () => {
    const { loginEmail } = await person({ mobile: '+8613800138001' });
    const page = await (await (await openResetLink(loginEmail)).get('/reset')).text();
    expect(page).toContain(words.passwordRules.heading);
    expect(page).toContain(escaped(words.passwordRules.seedLength(8, 20)));
    expect(page).toContain(escaped(words.passwordRules.seedCharacters));
    expect(page).not.toContain('role="alert"');
  });

  it('answers a mismatched pair with the mismatch only, not the rules the previous pair broke', async () => {
    const { loginEmail } = await person({ mobile: '+8613800138002' });
    const client = await openResetLink(loginEmail);
    expect(await submitPasswords(client, 'short', 'short')).toContain(escaped(credentials.rules.tooShort(8)));

    const page = await submitPasswords(client, 'Strong.pass1', 'Strong.pass2');
    expect(page).toContain(escaped(flows['password.mismatch']));
    expect(page).not.toContain(escaped(credentials.rules.tooShort(8)));
    expect(page).not.toContain(escaped(credentials.rules.digit));
  });

  it('never sends the identity check to the mailbox the link went to', async () => {
    const mobile = '+8613800138003';
    const { loginEmail } = await person({ mobile, verificationEmail: (login) => login.toUpperCase() });
    const client = await openResetLink(loginEmail);
    const codePage = await submitPasswords(client, 'Strong.pass3', 'Strong.pass3');
    expect(codePage).toContain(escaped(words.code.label));
    expect(codePage).not.toContain(words.code.useAlternate);

    const alternate = await client.post('/reset/alternate', { _csrf: await client.csrf('/reset') });
    expect(await alternate.text()).not.toContain('by email');
    await smsTo(mobile, 1);
    expect(smtp.mailsTo(loginEmail)).toHaveLength(1);
  });

  it('says the code is delayed, not sent, when the first SMS attempt fails', async () => {
    const mobile = '+8613800138009';
    const { loginEmail } = await person({ mobile });
    const client = await openResetLink(loginEmail);
    sms.failNext(1);
    const codePage = await submitPasswords(client, 'Strong.pass9', 'Strong.pass9');
    expect(codePage).toContain(escaped(notifications.delivery.delayed));
    expect(codePage).not.toContain(escaped(words.code.sent('sms', '+86 138****8009')));
    expect(codePage).toContain(escaped(words.code.label));
  });

  it('hands the person to support when that mailbox is the only other way', async () => {
    const { loginEmail } = await person({ verificationEmail: (login) => login });
    const client = await openResetLink(loginEmail);
    const page = await submitPasswords(client, 'Strong.pass4', 'Strong.pass4');
    expect(page).toContain(escaped(flows['stepUp.noMethod']));
    expect(page).not.toContain(escaped(words.code.label));
    expect(smtp.mailsTo(loginEmail)).toHaveLength(1);
    await expect(app.services.passwords.authenticate(loginEmail, OLD_PASSWORD)).resolves.toMatchObject({
      ok: true,
    });
  });

  it('after a reset, ends the other flows, revokes links and codes, and tells the login address', async () => {
    const mobile = '+8613800138005';
    const { loginEmail, accountId } = await person({ mobile });
    await app.stores.directory.linkSlackUser(accountId, TEAM, 'U0RESETCHK');
    const slackOwner = `slack:${TEAM}:U0RESETCHK`;
    // An open Slack flow waiting for a step-up code, and a change-password link of it.
    const started = await app.engine.start(slackOwner, 'changePassword', {});
    expect(started.status).toBe('active');
    const flowId = started.status === 'active' ? started.flowId : '';
    const stepUpCode = codeIn(await smsTo(mobile, 1));
    const account = await app.stores.directory.getById(accountId);
    const changeLink = await app.services.linkTokens.mint({
      accountId,
      kind: 'password-change',
      credentialVersion: account?.credentialVersion ?? 0,
      flowId,
    });
    expect((await app.services.linkTokens.peek(changeLink, 'password-change')).ok).toBe(true);

    const client = await openResetLink(loginEmail);
    await submitPasswords(client, 'Strong.pass5', 'Strong.pass5');
    const code = codeIn(await smsTo(mobile, 2));
    const done = await client.post('/reset/code', { _csrf: await client.csrf('/reset'), code });
    expect(await done.text()).toContain(escaped(words.reset.done));

    expect(await app.engine.active(slackOwner)).toBeNull();
    expect((await app.services.linkTokens.peek(changeLink, 'password-change')).ok).toBe(false);
    const stepUp = { accountId, flowId, purpose: 'step-up', target: mobile, channel: 'sms' } as const;
    expect(await app.services.codes.verify(stepUp, stepUpCode)).toEqual({ outcome: 'none' });
    const notice = await smtp.waitForMail(loginEmail, { nth: 2 });
    expect(notice.subject).toBe(notifications.email.changeNotice.subject('password'));
  });

  describe('one page submitted several times at once (a double click, a retrying browser, two tabs)', () => {
    const PARALLEL = 8;
    const NEW_PASSWORD = 'Fresh.pass42';

    const guesses = async () => {
      const redis = app.stores.redis;
      if (!redis) throw new Error('no Redis');
      return (await keysUnder(redis, keyPrefix)).filter((key) => key.includes('link-guess'));
    };

    async function resetFlowRecords(): Promise<Map<string, string | null>> {
      const redis = app.stores.redis;
      if (!redis) throw new Error('no Redis');
      const keys = (await keysUnder(redis, keyPrefix)).filter((key) => /:flow:reset-/.test(key));
      return new Map(await Promise.all(keys.map(async (key) => [key, await redis.get(key)] as const)));
    }

    async function atOnce(client: HttpClient, path: string, fields: Record<string, string>) {
      const csrf = await client.csrf('/reset');
      const responses = await Promise.all(
        Array.from({ length: PARALLEL }, () => client.post(path, { _csrf: csrf, ...fields })),
      );
      return Promise.all(
        responses.map(async (response) => ({ status: response.status, page: await response.text() })),
      );
    }

    it('new password: one identity check starts, every answer is its code page, no guess counted', async () => {
      const mobile = '+8613800138031';
      const { loginEmail } = await person({ mobile });
      const client = await openResetLink(loginEmail);
      const answers = await atOnce(client, '/reset/password', {
        password: NEW_PASSWORD,
        confirmation: NEW_PASSWORD,
      });
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.page).not.toContain(words.invalid.title);
        expect(answer.page).toContain(escaped(words.code.label));
      }
      await smsTo(mobile, 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sms.messages().filter((message) => message.to === mobile)).toHaveLength(1);
      expect(await guesses()).toEqual([]);

      // Looking at the page again and again writes nothing.
      const before = await resetFlowRecords();
      for (let i = 0; i < 3; i += 1) expect((await client.get('/reset')).status).toBe(200);
      expect(await resetFlowRecords()).toEqual(before);
    });

    it('right code: the password changes once, every answer is the done page, no guess counted', async () => {
      const mobile = '+8613800138032';
      const { loginEmail, accountId } = await person({ mobile });
      const client = await openResetLink(loginEmail);
      await submitPasswords(client, NEW_PASSWORD, NEW_PASSWORD);
      const answers = await atOnce(client, '/reset/code', { code: codeIn(await smsTo(mobile, 1)) });
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.page).not.toContain(words.invalid.title);
        expect(answer.page).toContain(words.reset.doneTitle);
      }
      expect(await guesses()).toEqual([]);
      const resets = (await app.stores.audit.forAccount(accountId, 50)).filter(
        (event) => event.action === 'password.reset',
      );
      expect(resets.map((event) => event.outcome)).toEqual(['success']);
    });

    /** A Slack change-password flow past its step-up, and a client on its page with the link. */
    async function openChangePage(mobile: string, userId: string) {
      const { loginEmail, accountId } = await person({ mobile });
      await app.stores.directory.linkSlackUser(accountId, TEAM, userId);
      const owner = `slack:${TEAM}:${userId}`;
      const started = await app.engine.start(owner, 'changePassword', {});
      if (started.status !== 'active') throw new Error(`change flow not started: ${started.status}`);
      await app.engine.send(owner, started.flowId, {
        type: 'SUBMIT_CODE',
        code: codeIn(await smsTo(mobile, 1)),
      });
      const url = app.engine.passwordLinkUrl(owner, started.flowId);
      if (url === null) throw new Error('no password page link');
      const client = new HttpClient(whole.base);
      expect((await client.get(new URL(url).pathname)).status).toBe(303);
      return { client, loginEmail, accountId };
    }

    async function changesAtOnce(client: HttpClient, submissions: { current: string; password: string }[]) {
      const csrf = await client.csrf('/password');
      const responses = await Promise.all(
        submissions.map(({ current, password }) =>
          client.post('/password', { _csrf: csrf, current, password, confirmation: password }),
        ),
      );
      return Promise.all(
        responses.map(async (response) => ({ status: response.status, page: await response.text() })),
      );
    }

    const auditOf = async (accountId: string, action: string) =>
      (await app.stores.audit.forAccount(accountId, 100)).filter((event) => event.action === action);

    /** Every answer is the page named, none the dead link, and no link guess was counted. */
    async function expectEveryAnswer(
      answers: { status: number; page: string }[],
      status: number,
      shows: string,
    ) {
      for (const answer of answers) {
        expect(answer.status).toBe(status);
        expect(answer.page).not.toContain(words.invalid.title);
        expect(answer.page).toContain(shows);
      }
      expect(await guesses()).toEqual([]);
    }

    it('change-password page: the password changes once, every answer is the done page, no guess counted', async () => {
      const { client, loginEmail, accountId } = await openChangePage('+8613800138033', 'U0CHANGE8');
      const answers = await changesAtOnce(
        client,
        Array.from({ length: PARALLEL }, () => ({ current: OLD_PASSWORD, password: NEW_PASSWORD })),
      );
      await expectEveryAnswer(answers, 200, words.change.doneTitle);
      expect(await auditOf(accountId, 'password.current-wrong')).toEqual([]);
      expect((await auditOf(accountId, 'password.changed')).map((event) => event.outcome)).toEqual([
        'success',
      ]);
      await expect(app.services.passwords.authenticate(loginEmail, NEW_PASSWORD)).resolves.toMatchObject({
        ok: true,
      });
    });

    it('change-password page: a wrong current password sent at once counts once, every answer is the form saying so', async () => {
      const { client, loginEmail, accountId } = await openChangePage('+8613800138035', 'U0CHANGE10');
      const answers = await changesAtOnce(
        client,
        Array.from({ length: PARALLEL }, () => ({ current: 'Not.the.one1', password: NEW_PASSWORD })),
      );
      await expectEveryAnswer(answers, 422, escaped(engineWords.wrongCurrentPassword(4)));
      expect(await auditOf(accountId, 'password.current-wrong')).toHaveLength(1);
      await expect(app.services.passwords.authenticate(loginEmail, OLD_PASSWORD)).resolves.toMatchObject({
        ok: true,
      });
    });

    it('change-password page: different submissions at once, one is saved, the others see it saved', async () => {
      const { client, loginEmail, accountId } = await openChangePage('+8613800138034', 'U0CHANGE9');
      const answers = await changesAtOnce(
        client,
        Array.from({ length: PARALLEL }, (_, i) => ({
          current: OLD_PASSWORD,
          password: `${NEW_PASSWORD}${i}`,
        })),
      );
      await expectEveryAnswer(answers, 200, words.change.doneTitle);
      expect(await auditOf(accountId, 'password.current-wrong')).toEqual([]);
      expect(await auditOf(accountId, 'password.changed')).toHaveLength(1);
      const saved = await Promise.all(
        answers.map(
          async (_, i) => (await app.services.passwords.authenticate(loginEmail, `${NEW_PASSWORD}${i}`)).ok,
        ),
      );
      expect(saved.filter(Boolean)).toHaveLength(1);
    });
  });
});
