import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application } from '../../src/app/application.js';
import { escapeHtml } from '../../src/core/html.js';
import { HashingBusyError } from '../../src/services/credentials/index.js';
import { flows } from '../../src/messages/flows.js';
import { web as words } from '../../src/messages/web.js';
import { openResetLink, startWholeApplication, type WholeApplication } from './whole-application.js';

/** A hash that keeps the one worker busy for a good while on any machine. */
const SLOW_COST = 14;

/**
 * bcrypt runs on the application's hashing pool: with its one worker taken and no room in
 * its queue, a reset page answers at once that hashing is busy, keeps the form, and the same
 * submit works once the worker is free.
 */
describe('password hashing pool (whole application over HTTP)', () => {
  let whole: WholeApplication;
  let app: Application;

  beforeAll(async () => {
    whole = await startWholeApplication({}, { hashing: { threads: 1, maxQueue: 0 } });
    app = whole.app;
  });
  afterAll(async () => {
    await whole?.close();
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
    const client = await openResetLink(whole, loginEmail);
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
