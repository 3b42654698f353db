import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication, type Application } from '../../src/app/application.js';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { testConfig } from '../support/config.js';

/**
 * The whole application at trace level, its log captured: a code goes out through the
 * development outbox and a password changes, and no code, link token or password is in
 * any log line.
 */
describe('logs of the running application', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  let app: Application;

  beforeAll(async () => {
    app = await createApplication(testConfig(), new ManualClock(), createLogger('trace', sink));
  });

  afterAll(async () => {
    await app.stop();
  });

  it('never carries a code, token or password', async () => {
    const { stores, services, notifications } = app;
    const password = 'Secret.pass1';
    const account = await stores.directory.create({
      loginEmail: 'logs@example.com',
      accountName: 'Logs',
      securityMobile: '+8613800135678',
      passwordHash: await services.credentials.hash(password),
    });
    const binding = {
      accountId: account.accountId,
      flowId: 'flow-logs',
      purpose: 'step-up',
      target: '+8613800135678',
      channel: 'sms',
    } as const;
    const issued = await services.codes.issue(binding);
    if (!issued.ok) throw new Error('not issued');
    const sms = await notifications.delivery.smsNow({
      id: 'flow-logs:code:1',
      to: binding.target,
      template: { kind: 'code', purpose: 'step-up', code: issued.code, validForMs: 600_000 },
    });
    const token = await services.linkTokens.mint({
      accountId: account.accountId,
      kind: 'reset',
      credentialVersion: account.credentialVersion,
    });
    await notifications.delivery.emailNow({
      id: 'reset:logs:1',
      to: 'logs@example.com',
      template: {
        kind: 'password-reset-link',
        link: `https://assist.example.com/reset/${token}`,
        validForMs: 172_800_000,
      },
    });
    const changed = await services.passwords.change(account.accountId, 'Newer.pass2', 'test');

    expect(sms).toBe('sent');
    expect(changed.ok).toBe(true);
    expect(notifications.smsOutbox?.list().some((entry) => entry.message.text.includes(issued.code))).toBe(
      true,
    );
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(3);
    for (const secret of [issued.code, token, password, 'Newer.pass2']) expect(log).not.toContain(secret);
  });
});
