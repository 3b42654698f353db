import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication, type Application } from '../../src/app/application.js';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { web as words } from '../../src/messages/web.js';
import { testConfig } from '../support/config.js';
import { SmsCapture } from '../support/sms-capture.js';
import { readLink, SmtpCapture } from '../support/smtp-capture.js';
import { freePort, startRedisServer, type RedisServerHandle } from '../support/redis-server.js';
import { HttpClient } from './http-client.js';

/**
 * A Redis that hangs (SIGSTOP: connections open, nothing answers): every page that needs it
 * answers "temporarily unavailable" within Slack-like patience, the others as usual, and
 * nothing of the request is used up.
 */
const PROMPTLY_MS = 3_000;

describe('web pages while Redis hangs (whole application over HTTP)', () => {
  const clock = new ManualClock();
  let smtp: SmtpCapture;
  let sms: SmsCapture;
  let redis: RedisServerHandle;
  let app: Application;
  let base: string;

  beforeAll(async () => {
    [smtp, sms, redis] = await Promise.all([SmtpCapture.start(), SmsCapture.start(), startRedisServer()]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = testConfig({
      REDIS_URL: redis.url,
      SMTP_URL: smtp.url,
      SMS_WEBHOOK_URL: sms.url,
      SMS_WEBHOOK_SECRET: sms.secret,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: base,
    });
    app = await createApplication(config, clock, createLogger('silent'), { listen: true });
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([smtp?.close(), sms?.close(), redis?.dispose()]);
  });

  it('answers every page promptly: "temporarily unavailable" where Redis is needed, and the link still works after', async () => {
    const loginEmail = 'hang.web@example.com';
    await app.stores.directory.create({
      loginEmail,
      accountName: 'Hang Web',
      securityMobile: '+8613800138000',
      passwordHash: await app.services.credentials.hash('Old.pass11'),
    });
    const asker = new HttpClient(base);
    await asker.post('/forgot', { _csrf: await asker.csrf('/forgot'), email: loginEmail });
    const link = new URL(readLink(await smtp.waitForMail(loginEmail))).pathname;
    const opened = new HttpClient(base);
    await opened.get(link);
    const resetCsrf = await opened.csrf('/reset');
    const forgotCsrf = await asker.csrf('/forgot');
    const passwordPage = new HttpClient(base);
    await passwordPage.get(`/password/${'p'.repeat(43)}`);

    const unavailable = 503;
    const pages: [string, number, () => Promise<Response>][] = [
      ['GET /forgot', 200, () => new HttpClient(base).get('/forgot')],
      ['POST /forgot', unavailable, () => asker.post('/forgot', { _csrf: forgotCsrf, email: loginEmail })],
      ['GET /reset', unavailable, () => opened.get('/reset')],
      [
        'POST /reset/password',
        unavailable,
        () =>
          opened.post('/reset/password', {
            _csrf: resetCsrf,
            password: 'New.pass12!',
            confirmation: 'New.pass12!',
          }),
      ],
      ['GET /password', unavailable, () => passwordPage.get('/password')],
      [
        'GET /documents/<ticket>',
        unavailable,
        () => new HttpClient(base).get(`/documents/${'d'.repeat(43)}`),
      ],
      ['GET /flows', 200, () => new HttpClient(base).get('/flows')],
      ['GET /healthz', 200, () => new HttpClient(base).get('/healthz')],
      ['GET /readyz', unavailable, () => new HttpClient(base).get('/readyz')],
    ];
    redis.pause();
    try {
      for (const [name, status, load] of pages) {
        const started = performance.now();
        const response = await load();
        const text = await response.text();
        expect(performance.now() - started, name).toBeLessThan(PROMPTLY_MS);
        expect(response.status, name).toBe(status);
        if (status === unavailable && name !== 'GET /readyz')
          expect(text, name).toContain(words.unavailable.title);
      }
    } finally {
      redis.resume();
    }
    const page = await opened.post('/reset/password', {
      _csrf: resetCsrf,
      password: 'New.pass12!',
      confirmation: 'New.pass12!',
    });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(words.unavailable.title);
  }, 60_000);
});
