import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication, type Application } from '../../src/app/application.js';
import { ManualClock } from '../../src/core/clock.js';
import { escapeHtml } from '../../src/core/html.js';
import { createLogger } from '../../src/core/logger.js';
import { HashingBusyError } from '../../src/services/credentials/index.js';
import { flows } from '../../src/messages/flows.js';
import { web as words } from '../../src/messages/web.js';
import { testConfig } from '../support/config.js';
import { SmsCapture } from '../support/sms-capture.js';
import { readLink, SmtpCapture } from '../support/smtp-capture.js';
import { HttpClient } from './http-client.js';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** A hash that keeps the one worker busy for a good while on any machine. */
const SLOW_COST = 14;

/**
 * bcrypt runs on the application's hashing pool: with its one worker taken and no room in
 * its queue, a reset page answers at once that hashing is busy, keeps the form, and the same
 * submit works once the worker is free.
 */
describe('password hashing pool (whole application over HTTP)', () => {
  const clock = new ManualClock();
  let smtp: SmtpCapture;
  let sms: SmsCapture;
  let app: Application;
  let base: string;

  beforeAll(async () => {
    [smtp, sms] = await Promise.all([SmtpCapture.start(), SmsCapture.start()]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = testConfig({
      SMTP_URL: smtp.url,
      SMS_WEBHOOK_URL: sms.url,
      SMS_WEBHOOK_SECRET: sms.secret,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: base,
    });
    app = await createApplication(config, clock, createLogger('silent'), {
      listen: true,
      hashing: { threads: 1, maxQueue: 0 },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([smtp?.close(), sms?.close()]);
  });

  it('refuses a hash at once while its queue is full, and hashes again once it has room', async () => {
    const occupying = app.hashing.hash('occupies the only worker', SLOW_COST);
    const started = performance.now();
    await expect(app.hashing.hash('waits for nobody', 4)).rejects.toBeInstanceOf(HashingBusyError);
    expect(performance.now() - started).toBeLessThan(200);
    await occupying;
    await expect(app.hashing.compare('x', await app.hashing.hash('x', 4))).resolves.toBe(true);
  });

  it('tells the person on the reset page to submit again in a moment, and the retry goes through', async () => {
    const loginEmail = 'hashing.busy@example.com';
    await app.stores.directory.create({
      loginEmail,
      accountName: 'Hashing Busy',
      securityMobile: '+8613800139001',
      passwordHash: await app.services.credentials.hash('Old.pass11'),
    });
    const asker = new HttpClient(base);
    await asker.post('/forgot', { _csrf: await asker.csrf('/forgot'), email: loginEmail });
    const client = new HttpClient(base);
    expect((await client.get(new URL(readLink(await smtp.waitForMail(loginEmail))).pathname)).status).toBe(
      303,
    );
    const submit = async () =>
      (
        await client.post('/reset/password', {
          _csrf: await client.csrf('/reset'),
          password: 'Strong.pass7',
          confirmation: 'Strong.pass7',
        })
      ).text();

    const occupying = app.hashing.hash('occupies the only worker', SLOW_COST);
    const busyPage = await submit();
    expect(busyPage).toContain(escapeHtml(flows['flow.hashingBusy']));
    expect(busyPage).not.toContain(escapeHtml(words.code.label));

    await occupying;
    expect(await submit()).toContain(escapeHtml(words.code.label));
  });
});
