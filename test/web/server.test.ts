import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TemporarilyUnavailableError } from '../../src/core/errors.js';
import { CONTENT_SECURITY_POLICY } from '../../src/web/security-headers.js';
import { CHANGE_TOKEN, GOOD_TOKEN } from './fake-pages.js';
import { startWebHarness, type WebHarness } from './harness.js';
import { childMachines, flowMachines } from '../../machines/index.js';

const PAGES = [
  '/forgot',
  '/reset',
  '/password',
  '/flows',
  '/flows/resetPassword.svg',
  '/healthz',
  '/readyz',
  '/assets/site.css',
  '/assets/show-password.js',
  '/no-such-page',
];

function expectSecurityHeaders(response: Response): void {
  expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('x-powered-by')).toBeNull();
}

describe('web server over plain http', () => {
  let web: WebHarness;
  beforeAll(async () => {
    web = await startWebHarness({
      tokenGuessesPerIpPerHour: 3,
      forgotRequestsPerIpPerHour: 2,
      trustProxyHops: 1,
    });
  });
  afterAll(async () => {
    await web.close();
  });
  afterEach(() => {
    web.pages.calls.length = 0;
  });

  it('sends the security headers on every page, without HSTS on http', async () => {
    const client = web.client({ 'x-forwarded-for': '198.51.100.1' });
    for (const path of PAGES) {
      const response = await client.get(path);
      expectSecurityHeaders(response);
      expect(response.headers.get('strict-transport-security'), path).toBeNull();
    }
    expectSecurityHeaders(await client.get(`/reset/${GOOD_TOKEN}`));
  });

  it('moves the token out of the address bar into an HttpOnly cookie without judging it', async () => {
    const client = web.client({ 'x-forwarded-for': '198.51.100.2' });
    const first = await client.get(`/reset/${GOOD_TOKEN}`);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/reset');
    const cookie = first.headers.getSetCookie().find((line) => line.startsWith('aa_reset_link='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/reset/);
    expect(web.pages.calls).toEqual([]);

    const head = await client.get('/reset', { method: 'HEAD' });
    const page = await client.get('/reset');
    expect(head.status).toBe(200);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('autocomplete="new-password"');
    expect(body).not.toContain(GOOD_TOKEN);
    expect(web.pages.methods()).toEqual(['resetOpen', 'resetOpen']);
  });

  it('refuses a POST without the CSRF token of its own session', async () => {
    const client = web.client({ 'x-forwarded-for': '198.51.100.3' });
    await client.get(`/reset/${GOOD_TOKEN}`);
    const token = await client.csrf('/reset');
    const missing = await client.post('/reset/password', { password: 'a', confirmation: 'a' });
    const stranger = web.client({ 'x-forwarded-for': '198.51.100.3' });
    await stranger.get(`/reset/${GOOD_TOKEN}`);
    const foreign = await stranger.post('/reset/password', {
      _csrf: token,
      password: 'a',
      confirmation: 'a',
    });
    expect(missing.status).toBe(403);
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('This form has expired');
    expect(web.pages.methods()).toEqual(['resetOpen']);

    const accepted = await client.post('/reset/password', {
      _csrf: token,
      password: 'New.pass1',
      confirmation: 'New.pass2',
    });
    expect(accepted.status).toBe(200);
    expect(web.pages.calls.at(-1)).toEqual({
      method: 'resetSubmitPassword',
      args: [GOOD_TOKEN, 'New.pass1', 'New.pass2'],
    });
    const codePage = await accepted.text();
    expect(codePage).toContain('+86 138****5678');
    expect(codePage).toContain('autocomplete="one-time-code"');
    expect(codePage).toContain('Use alternate verification');
  });

  it('sets the session cookie HttpOnly and SameSite=Strict', async () => {
    const response = await web.client().get('/forgot');
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('aa_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('escapes what it shows and announces errors', async () => {
    const client = web.client({ 'x-forwarded-for': '198.51.100.4' });
    await client.get(`/reset/${GOOD_TOKEN}`);
    web.pages.next = { page: 'form', kind: 'reset', errors: ['<script>alert(1)</script> is not allowed'] };
    const response = await client.get('/reset');
    const body = await response.text();
    expect(response.status).toBe(422);
    expect(body).toContain('role="alert"');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; is not allowed');
    expect(body).not.toContain('<script>alert');
    expect(body).toContain('aria-invalid="true"');
  });

  it('believes X-Forwarded-For only for the trusted hop', async () => {
    // The client wrote 203.0.113.9 itself; the proxy appended what it saw, which is what counts.
    const spoofer = web.client({ 'x-forwarded-for': '203.0.113.9, 198.51.100.77' });
    await spoofer.get(`/reset/${GOOD_TOKEN}`);
    expect((await spoofer.get('/reset')).status).toBe(200);
  });

  it('gives /forgot the same answer for any address and limits it per network', async () => {
    const client = web.client({ 'x-forwarded-for': '192.0.2.50' });
    const known = await client.post('/forgot', {
      _csrf: await client.csrf('/forgot'),
      email: 'a@example.com',
    });
    const unknown = await client.post('/forgot', {
      _csrf: await client.csrf('/forgot'),
      email: 'zz@example.com',
    });
    expect(known.status).toBe(200);
    expect(await known.text()).toBe(await unknown.text());
    expect(web.pages.forgotten).toEqual(['a@example.com', 'zz@example.com']);

    const third = await client.post('/forgot', {
      _csrf: await client.csrf('/forgot'),
      email: 'b@example.com',
    });
    expect(third.status).toBe(429);
    expect(await third.text()).toContain('Too many reset requests');
    expect(web.pages.forgotten).toHaveLength(2);
    web.clock.advance(60 * 60 * 1000);
    const later = await client.post('/forgot', {
      _csrf: await client.csrf('/forgot'),
      email: 'b@example.com',
    });
    expect(later.status).toBe(200);
  });

  it('asks for an email when none is given', async () => {
    const client = web.client({ 'x-forwarded-for': '192.0.2.51' });
    const response = await client.post('/forgot', { _csrf: await client.csrf('/forgot'), email: '  ' });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('Enter the login email of your account');
  });

  it('drives the change-password page with the current password and the new one twice', async () => {
    const client = web.client({ 'x-forwarded-for': '192.0.2.60' });
    const first = await client.get(`/password/${CHANGE_TOKEN}`);
    expect(first.headers.get('location')).toBe('/password');
    const form = await (await client.get('/password')).text();
    expect(form).toContain('autocomplete="current-password"');
    expect(form.match(/autocomplete="new-password"/g)).toHaveLength(2);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
    const done = await client.post('/password', {
      _csrf: csrf,
      current: 'Old.pass1',
      password: 'New.pass1',
      confirmation: 'New.pass1',
    });
    expect(await done.text()).toContain('Your password was changed');
    expect(web.pages.calls.at(-1)?.args).toEqual([CHANGE_TOKEN, 'Old.pass1', 'New.pass1', 'New.pass1']);
    expect(client.cookie('aa_password_link')).toBeUndefined();

    web.pages.next = { page: 'cooldown', retryAt: web.clock.now() + 15 * 60 * 1000 };
    await client.get(`/password/${CHANGE_TOKEN}`);
    const cooling = await client.get('/password');
    expect(cooling.status).toBe(429);
    expect(await cooling.text()).toContain('Try again in 15 minutes');
  });

  it('reports health and readiness, and keeps metrics off the public port', async () => {
    const client = web.client();
    expect(await (await client.get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await client.get('/readyz')).status).toBe(200);
    web.setReady(false);
    expect((await client.get('/readyz')).status).toBe(503);
    web.setReady(true);

    web.metrics.flowsStarted.inc({ machine: 'resetPassword' });
    const publicMetrics = await client.get('/metrics');
    expect(publicMetrics.status).toBe(404);
    expect(await publicMetrics.text()).not.toContain('account_assistant');
    const metrics = await web.metrics.registry.metrics();
    expect(metrics).toContain('account_assistant_flows_started_total{machine="resetPassword"} 1');
    expect(metrics).toContain('route="/reset/:token"');
    expect(metrics).not.toContain(GOOD_TOKEN);
  });

  it('lists every flow diagram and serves the pictures', async () => {
    const client = web.client();
    const page = await (await client.get('/flows')).text();
    expect(page.match(/<img src="\/flows\/[A-Za-z]+\.svg"/g)).toHaveLength(
      flowMachines.length + childMachines.length,
    );
    expect(page).toContain('/flows/codeChallenge.svg');
    expect(page).toContain('Reset a forgotten password');
    const svg = await client.get('/flows/resetPassword.svg');
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect((await client.get('/flows/..%2Fpackage.json')).status).toBe(404);
  });

  it('carries a mounted handler ahead of the pages with the body untouched', async () => {
    let seen = '';
    web.server.mount('/slack/events', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen = Buffer.concat(chunks).toString('utf8');
        response.status(200).send('ok');
      });
    });
    const response = await web.client().post('/slack/events', { payload: 'raw' });
    expect(response.status).toBe(200);
    expect(seen).toBe('payload=raw');
  });

  it('never logs a token, a query string or a form field', async () => {
    const client = web.client({ 'x-forwarded-for': '192.0.2.70' });
    await client.get(`/reset/${GOOD_TOKEN}?utm=secret-query`);
    await client.post('/reset/password', {
      _csrf: await client.csrf('/reset'),
      password: 'Body.secret1',
      confirmation: 'Body.secret1',
    });
    const log = web.logLines.join('');
    expect(log).toContain('"route":"/reset/:token"');
    for (const secret of [GOOD_TOKEN, 'secret-query', 'Body.secret1']) expect(log).not.toContain(secret);
  });
});

describe('web server behind https', () => {
  let web: WebHarness;
  beforeAll(async () => {
    web = await startWebHarness({ publicBaseUrl: 'https://assist.example.com' });
  });
  afterAll(async () => {
    await web.close();
  });

  it('adds HSTS and marks cookies Secure with a __Host- session', async () => {
    const forgot = await web.client().get('/forgot');
    expect(forgot.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    const session = forgot.headers.getSetCookie().find((line) => line.startsWith('__Host-aa_session='));
    expect(session).toMatch(/Secure/);
    expect(session).toMatch(/Path=\//);
    const link = await web.client().get(`/reset/${GOOD_TOKEN}`);
    expect(link.headers.getSetCookie().find((line) => line.startsWith('aa_reset_link='))).toMatch(/Secure/);
  });
});

describe('web server while the store is down', () => {
  let web: WebHarness;
  const down = async (): Promise<never> => {
    throw new TemporarilyUnavailableError('rate limit');
  };
  beforeAll(async () => {
    web = await startWebHarness({}, { rateLimiter: { hit: down, peek: down, reset: down } });
  });
  afterAll(async () => {
    await web.close();
  });

  it('fails closed: no invalid link or request is answered without its limit, and the person is told to retry', async () => {
    // A valid link is never limited, so it does not need the limiter.
    const valid = web.client();
    await valid.get(`/reset/${GOOD_TOKEN}`);
    expect((await valid.get('/reset')).status).toBe(200);
    web.pages.calls.length = 0;

    const client = web.client();
    await client.get('/reset/invalid-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    const reset = await client.get('/reset');
    expect(reset.status).toBe(503);
    expect(await reset.text()).toContain('briefly unavailable');
    const forgot = await client.post('/forgot', {
      _csrf: await client.csrf('/forgot'),
      email: 'a@example.com',
    });
    expect(forgot.status).toBe(503);
    expect(web.pages.methods()).toEqual(['resetOpen']);
  });
});
