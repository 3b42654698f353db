import { afterAll, describe, expect, it } from 'vitest';
import { slack } from '../../src/messages/slack.js';
import { changePasswordPage } from '../support/slack/password-page.js';
import { linkedPerson } from '../support/slack/people.js';
import { SmsCapture } from '../support/sms-capture.js';
import { RedisFaultProxy } from '../support/redis-fault-proxy.js';
import { sharedRedisUrl } from '../support/redis.js';
import { capturedLogger } from '../support/log-capture.js';
import { useSlackHarness } from '../support/slack/harness.js';

/** What the operator reads when a step fails: what failed and its kind, never what was typed. */
const log = capturedLogger('info');
let proxy: RedisFaultProxy;
let sms: SmsCapture;
const harness = useSlackHarness(async () => {
  proxy = await RedisFaultProxy.start(sharedRedisUrl());
  sms = await SmsCapture.start();
  return {
    env: { REDIS_URL: proxy.url, SMS_WEBHOOK_URL: sms.url, SMS_WEBHOOK_SECRET: sms.secret },
    logger: log.logger,
  };
});
afterAll(async () => {
  await proxy.close();
  await sms.close();
});

describe('a failed reset request from Slack', () => {
  it('is logged by its kind, never with the login email a store error quoted', async () => {
    const h = harness();
    const loginEmail = 'quoted.person@example.com';
    await h.application.stores.directory.create({ loginEmail, accountName: 'Quoted' });
    const person = h.workspace.person({ id: 'U0QUOTED' });
    await person.say('forgot password');
    await person.click(slack.buttons.continue);
    // A store error that names the key it failed on, and so the address inside it.
    const refused = proxy.refuseNext(
      (command) => command.some((arg) => arg.endsWith(`login-email:{${loginEmail}}`)),
      `ERR failed on key directory:login-email:${loginEmail}`,
    );
    await person.submit({ 'Login email': loginEmail });
    await refused;
    await h.runtime.idle();
    await expect.poll(() => log.lines.some((line) => line.includes('reset request failed'))).toBe(true);

    const logged = log.lines.join('');
    expect(logged).not.toContain(loginEmail);
    expect(logged).not.toContain('quoted.person');
  });
});

describe('a password save that fails on the change-password page', () => {
  it('logs it when the link cannot be given back either, so a stuck page is explained', async () => {
    const h = harness();
    const mobile = '+8613800137601';
    const { person, accountId } = await linkedPerson(h, 'U0HELD', {
      loginEmail: 'held@example.com',
      accountName: 'Held',
      securityMobile: mobile,
      passwordHash: await h.application.services.credentials.hash('Right-pass-1!'),
    });
    const { token } = await changePasswordPage(person, () => sms.code(mobile));
    h.scanner.add('token', token);

    // The new hash's write fails, and then so does giving the link back.
    const bcrypt = /\$2[aby]\$\d\d\$/;
    const givenBack = proxy
      .refuseNext((command) => command.some((arg) => arg.includes(accountId) && bcrypt.test(arg)), 'LOADING')
      .then(() =>
        proxy.refuseNext((command) => command.some((arg) => arg.includes('password-saving')), 'LOADING'),
      );
    const state = await h.passwordPages?.changeSubmit(token, 'Right-pass-1!', 'New-pass-1?', 'New-pass-1?');
    await givenBack;

    expect(state?.page).not.toBe('done');
    expect(log.lines.some((line) => line.includes('could not be given back'))).toBe(true);
  });
});
