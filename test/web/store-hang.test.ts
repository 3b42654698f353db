import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { web as words } from '../../src/messages/web.js';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.js';
import { HttpClient } from './http-client.js';
import { openResetLink, startWholeApplication, type WholeApplication } from './whole-application.js';

/**
 * A Redis that hangs (SIGSTOP: connections open, nothing answers): every page that needs it
 * answers "temporarily unavailable" within Slack-like patience, the others as usual, and
 * nothing of the request is used up.
 */
const PROMPTLY_MS = 3_000;

describe('web pages while Redis hangs (whole application over HTTP)', () => {
  let redis: RedisServerHandle;
  let whole: WholeApplication;

  beforeAll(async () => {
    redis = await startRedisServer();
    whole = await startWholeApplication({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await whole?.close();
    await redis?.dispose();
  });

  it('answers every page promptly: "temporarily unavailable" where Redis is needed, and the link still works after', async () => {
    const { base } = whole;
    const loginEmail = 'hang.web@example.com';
    await whole.app.stores.directory.create({
      loginEmail,
      accountName: 'Hang Web',
      securityMobile: '+8613800138000',
      passwordHash: await whole.app.services.credentials.hash('Old.pass11'),
    });
    const opened = await openResetLink(whole, loginEmail);
    const asker = new HttpClient(base);
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
