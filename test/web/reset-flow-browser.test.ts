import { request as httpRequest } from 'node:http';
import { freePort } from '../support/redis-server.js';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication, type Application } from '../../src/app/application.js';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { messages } from '../../src/messages/catalog.js';
import { CONTENT_SECURITY_POLICY } from '../../src/web/security-headers.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { RedisFaultProxy } from '../support/redis-fault-proxy.js';
import { sharedRedisUrl } from '../support/redis.js';
import { testConfig } from '../support/config.js';
import { SmsCapture } from '../support/sms-capture.js';
import { SmtpCapture } from '../support/smtp-capture.js';
import { HttpClient } from './http-client.js';

const HOUR_MS = 60 * 60 * 1000;
const REQUIRED_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};
const OLD_PASSWORD = 'Old.pass11';
const NEW_PASSWORD = 'Brand.new22';
const FRESH_PASSWORD = 'Fresh.pass55';

/** A raw request with a Host header of our choosing (fetch does not let one set it). */
function postWithHost(url: string, host: string, body: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method: 'POST',
        headers: { host, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * The whole reset in real Chromium against the whole application: /forgot, the email
 * from a real SMTP server, the link, the new password, the SMS code from the gateway,
 * and sign-in with the new password.
 */
describe('password reset in Chromium', () => {
  const clock = new ManualClock();
  let smtp: SmtpCapture;
  let sms: SmsCapture;
  let proxy: RedisFaultProxy;
  let app: Application;
  let browser: TestBrowser;
  let context: BrowserContext;
  let base: string;
  const headerProblems: string[] = [];
  const loginEmail = 'reset.person@example.com';
  const mobile = '+8613800135678';

  const resetLinks = () =>
    smtp
      .mailsTo(loginEmail)
      .map((mail) => /https?:\/\/\S+\/reset\/[A-Za-z0-9_-]+/.exec(mail.text)?.[0])
      .filter((link) => link !== undefined);

  /** Asks on /forgot and returns the link of the reset mail that arrives. */
  const requestLink = async (): Promise<string> => {
    const before = resetLinks().length;
    const page = await context.newPage();
    await page.goto(`${base}/forgot`);
    await page.getByLabel('Login email').fill(loginEmail);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('status').waitFor();
    await page.close();
    return eventually(() => resetLinks()[before], 'a reset mail');
  };

  const submitPasswords = async (page: Page, password: string, confirmation: string) => {
    await page.getByLabel('New password', { exact: true }).fill(password);
    await page.getByLabel('New password again').fill(confirmation);
    await page.getByRole('button', { name: 'Continue' }).click();
  };

  beforeAll(async () => {
    [smtp, sms, browser] = await Promise.all([SmtpCapture.start(), SmsCapture.start(), launchBrowser()]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    proxy = await RedisFaultProxy.start(sharedRedisUrl());
    const config = testConfig({
      REDIS_URL: proxy.url,
      SMTP_URL: smtp.url,
      SMS_WEBHOOK_URL: sms.url,
      SMS_WEBHOOK_SECRET: sms.secret,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: base,
      // Several links for one account in this file; the per-account limit has its own tests.
      RESET_EMAILS_PER_HOUR: '20',
    });
    app = await createApplication(config, clock, createLogger('silent'), { listen: true });
    await app.stores.directory.create({
      loginEmail,
      accountName: 'Reset Person',
      securityMobile: mobile,
      verificationEmail: 'reset.verify@example.com',
      passwordHash: await app.services.credentials.hash(OLD_PASSWORD),
    });
    context = await browser.context();
    context.on('response', (response) => {
      if (!response.url().startsWith(base)) return;
      const headers = response.headers();
      const missing = Object.entries(REQUIRED_HEADERS).filter(([name, value]) => headers[name] !== value);
      if (missing.length > 0)
        headerProblems.push(`${response.url()}: ${missing.map(([name]) => name).join(', ')}`);
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
    await Promise.all([smtp?.close(), sms?.close(), proxy?.close()]);
  });

  it('resets the password end to end after a mail scanner opened the link', async () => {
    const link = await requestLink();
    expect(link.startsWith(`${base}/reset/`)).toBe(true);

    // Safe Links and the like fetch every link before the person does, with or without cookies.
    await fetch(link);
    await fetch(link, { method: 'HEAD' });
    const scanner = new HttpClient(base);
    expect((await scanner.get(new URL(link).pathname, { method: 'HEAD' })).status).toBe(303);
    expect((await scanner.get('/reset', { method: 'HEAD' })).status).toBe(200);
    expect((await scanner.get(new URL(link).pathname)).status).toBe(303);
    expect(await (await scanner.get('/reset')).text()).toContain('Set a new password');

    const page = await context.newPage();
    await page.goto(link);
    expect(page.url()).toBe(`${base}/reset`);
    await submitPasswords(page, NEW_PASSWORD, NEW_PASSWORD);
    await page.getByLabel('6-digit code').waitFor();
    await browser.screenshot(page, 'flow-reset-code');

    const text = await eventually(
      () =>
        sms
          .messages()
          .filter((message) => message.to === mobile)
          .at(-1)?.text,
      'a text with the code',
    );
    const code = /(?<!\d)(\d{6})(?!\d)/.exec(text)?.[1] ?? '';
    await page.getByLabel('6-digit code').fill(code);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your new password is saved');
    await browser.screenshot(page, 'flow-reset-done');

    await expect(app.services.passwords.authenticate(loginEmail, NEW_PASSWORD)).resolves.toMatchObject({
      ok: true,
    });
    await expect(app.services.passwords.authenticate(loginEmail, OLD_PASSWORD)).resolves.toEqual({
      ok: false,
    });

    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    const scrape = app.metricsServer.address();
    expect(scrape?.host).toBe('127.0.0.1');
    const metrics = await (await fetch(`http://127.0.0.1:${scrape?.port}/metrics`)).text();
    expect(metrics).toMatch(/account_assistant_flows_started_total\{machine="resetPassword"\} [1-9]/);
    expect(metrics).toMatch(/account_assistant_codes_sent_total\{channel="sms"\} [1-9]/);

    const again = await context.newPage();
    await again.goto(link);
    await expect(again.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Link invalid or expired',
    );
  });

  it('shows what is wrong with a mismatch, a common password and one that is too long', async () => {
    const page = await context.newPage();
    await page.goto(await requestLink());
    const alert = page.getByRole('alert');

    await submitPasswords(page, 'Some.pass33', 'Some.pass34');
    await expect(alert.textContent()).resolves.toContain('The two passwords do not match');
    await browser.screenshot(page, 'flow-reset-mismatch');

    await submitPasswords(page, 'P@ssw0rd', 'P@ssw0rd');
    await expect(alert.textContent()).resolves.toContain('Common passwords');

    await submitPasswords(page, 'Abcdefghij.123456789', 'Abcdefghij.123456789');
    await expect(page.getByLabel('6-digit code').isVisible()).resolves.toBe(true);

    const second = await context.newPage();
    await second.goto(await requestLink());
    await submitPasswords(second, 'Abcdefghij.1234567890', 'Abcdefghij.1234567890');
    await expect(second.getByRole('alert').textContent()).resolves.toContain('Use at most 20 characters');
    await browser.screenshot(second, 'flow-reset-too-long');
  });

  it('refuses malformed codes without spending a try, saying how many tries a code allows', async () => {
    const link = await requestLink();
    const client = new HttpClient(base);
    expect((await client.get(new URL(link).pathname)).status).toBe(303);
    const texts = () => sms.messages().filter((message) => message.to === mobile).length;
    const sent = texts();
    const csrf = await client.csrf('/reset');
    const codePage = await client.post('/reset/password', {
      _csrf: csrf,
      password: FRESH_PASSWORD,
      confirmation: FRESH_PASSWORD,
    });
    expect(await codePage.text()).toContain('6-digit code');
    const text = await eventually(
      () => sms.messages().filter((message) => message.to === mobile)[sent]?.text,
      'a text with the code',
    );

    // Twice the number of tries a code allows, and more than the account-wide lock needs.
    const malformed = ['', ' ', 'abcdef', '１２３４５６', '12345', '1234567', '12a456', '<!-->', '0x1234'];
    for (let round = 0; round < 3; round++) {
      for (const code of malformed) {
        const page = await client.post('/reset/code', { _csrf: csrf, code });
        expect(page.status, JSON.stringify(code)).toBe(200);
        expect(await page.text(), JSON.stringify(code)).toContain(messages.codes.malformedNotCounted(5));
      }
    }

    const code = /(?<!\d)(\d{6})(?!\d)/.exec(text)?.[1] ?? '';
    const done = await client.post('/reset/code', { _csrf: csrf, code });
    expect(await done.text()).toContain('Your new password is saved');
    await expect(app.services.passwords.authenticate(loginEmail, FRESH_PASSWORD)).resolves.toMatchObject({
      ok: true,
    });
  });

  it('builds links from the configured address whatever Host the request named', async () => {
    const form = await fetch(`${base}/forgot`);
    const cookie = form.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const before = resetLinks().length;
    const status = await postWithHost(
      `${base}/forgot`,
      'evil.example',
      new URLSearchParams({ _csrf: csrf, email: loginEmail }).toString(),
      cookie,
    );
    expect(status).toBe(200);
    const link = await eventually(() => resetLinks()[before], 'a reset mail');
    expect(link.startsWith(`${base}/reset/`)).toBe(true);
    expect(link).not.toContain('evil.example');
  });

  it('refuses an expired link', async () => {
    const link = await requestLink();
    clock.advance(48 * HOUR_MS + 1);
    const page = await context.newPage();
    await page.goto(link);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Link invalid or expired',
    );
  });

  it('changes the password on the page a Slack flow linked to', async () => {
    const mobile = '+8613800135679';
    const account = await app.stores.directory.create({
      loginEmail: 'change.person@example.com',
      accountName: 'Change Person',
      securityMobile: mobile,
      passwordHash: await app.services.credentials.hash(OLD_PASSWORD),
    });
    const owner = 'slack:T0PAGE:U0CHANGE';
    await app.stores.directory.linkSlackUser(account.accountId, 'T0PAGE', 'U0CHANGE');
    const started = await app.engine.start(owner, 'changePassword', {});
    if (started.status !== 'active') throw new Error(`change flow not started: ${started.status}`);
    const text = await eventually(
      () => sms.messages().find((message) => message.to === mobile)?.text,
      'a step-up code by SMS',
    );
    const code = /(?<!\d)(\d{6})(?!\d)/.exec(text)?.[1] ?? '';
    await app.engine.send(owner, started.flowId, { type: 'SUBMIT_CODE', code });
    const url = app.engine.passwordLinkUrl(owner, started.flowId);
    if (url === null) throw new Error('no password page link');
    const token = url.slice(url.lastIndexOf('/') + 1);
    const page = await context.newPage();
    await page.goto(`${base}/password/${token}`);
    expect(page.url()).toBe(`${base}/password`);
    const fill = async (current: string, password: string) => {
      await page.getByLabel('Current password').fill(current);
      await page.getByLabel('New password', { exact: true }).fill(password);
      await page.getByLabel('New password again').fill(password);
      await page.getByRole('button', { name: 'Change password' }).click();
    };

    await fill('Not.the.one1', NEW_PASSWORD);
    await page.getByRole('alert').waitFor();
    await browser.screenshot(page, 'flow-change-wrong-current');
    await fill(OLD_PASSWORD, NEW_PASSWORD);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your password was changed');
    await browser.screenshot(page, 'flow-change-done');

    await expect(
      app.services.passwords.authenticate('change.person@example.com', NEW_PASSWORD),
    ).resolves.toMatchObject({ ok: true });
    await page.goto(`${base}/password/${token}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Link invalid or expired',
    );
  });

  it('gives the change-password link back when the save fails, so the same page works again', async () => {
    const mobile = '+8613800135680';
    const account = await app.stores.directory.create({
      loginEmail: 'retry.person@example.com',
      accountName: 'Retry Person',
      securityMobile: mobile,
      passwordHash: await app.services.credentials.hash(OLD_PASSWORD),
    });
    const owner = 'slack:T0PAGE:U0RETRY';
    await app.stores.directory.linkSlackUser(account.accountId, 'T0PAGE', 'U0RETRY');
    const started = await app.engine.start(owner, 'changePassword', {});
    if (started.status !== 'active') throw new Error(`change flow not started: ${started.status}`);
    const text = await eventually(
      () => sms.messages().find((message) => message.to === mobile)?.text,
      'a step-up code by SMS',
    );
    await app.engine.send(owner, started.flowId, {
      type: 'SUBMIT_CODE',
      code: /(?<!\d)(\d{6})(?!\d)/.exec(text)?.[1] ?? '',
    });
    const url = app.engine.passwordLinkUrl(owner, started.flowId);
    if (url === null) throw new Error('no password page link');
    const page = await context.newPage();
    await page.goto(url.replace(/^https?:\/\/[^/]+/, base));
    const fill = async () => {
      await page.getByLabel('Current password').fill(OLD_PASSWORD);
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('New password again').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Change password' }).click();
    };
    // Redis refuses exactly the write that saves the new password, as a server still loading
    // its data after a restart does; the claim on the link before it and the give-back after
    // it reach Redis as usual.
    clock.advance(7);
    const savedAt = `passwordChangedAt\\":${clock.now()}`;
    const refused = proxy.refuseNext(
      (command) => command.some((arg) => arg.includes(account.accountId) && arg.includes(savedAt)),
      'LOADING Redis is loading the dataset in memory',
    );
    await fill();
    await refused;
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      messages.web.unavailable.title,
    );
    await expect(
      app.services.passwords.authenticate('retry.person@example.com', OLD_PASSWORD),
    ).resolves.toMatchObject({ ok: true });

    await page.goto(`${base}/password`);
    await fill();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your password was changed');
    await expect(
      app.services.passwords.authenticate('retry.person@example.com', NEW_PASSWORD),
    ).resolves.toMatchObject({ ok: true });
  });

  it('sent the security headers with every response the browser saw', () => {
    expect(headerProblems).toEqual([]);
  });
});

async function eventually<T>(read: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = read();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} did not arrive`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
