import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flows } from '../../src/messages/flows.js';
import { slack } from '../../src/messages/slack.js';
import { keysUnder, sharedClusterNodesVariable, uniquePrefix } from '../support/redis.js';
import { visibleText } from '../support/slack/blocks.js';
import { startSlackHarness, TEST_SIGNING_SECRET, type SlackHarness } from '../support/slack/harness.js';
import { SlackWorkspace, SlackPerson } from '../support/slack/workspace.js';
import { SlackSigner } from '../support/slack/signer.js';
import { SmsCapture } from '../support/sms-capture.js';
import { SmtpCapture } from '../support/smtp-capture.js';

/**
 * Two app instances, each behind its own Slack endpoint, on one real 3-master Redis Cluster
 * (REDIS_CLUSTER_NODES) under one key prefix: what one instance stored the other continues,
 * the shared BullMQ queue delivers each text once, and a click that reaches both applies once.
 *
 * @module-tag topology
 */
let sms: SmsCapture;
let smtp: SmtpCapture;
let first: SlackHarness;
let second: SlackHarness;
let secondWorkspace: SlackWorkspace;
const keyPrefix = uniquePrefix('e2ec');

beforeAll(async () => {
  sms = await SmsCapture.start();
  smtp = await SmtpCapture.start();
  const env = {
    REDIS_CLUSTER_NODES: await sharedClusterNodesVariable(),
    REDIS_KEY_PREFIX: keyPrefix,
    SMS_WEBHOOK_URL: sms.url,
    SMS_WEBHOOK_SECRET: sms.secret,
    SMTP_URL: smtp.url,
    // Instances of one deployment share their keys, or one could not check the other's codes.
    CODE_HMAC_KEY: randomBytes(32).toString('base64'),
    DOCUMENT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    JOB_PAYLOAD_KEY: randomBytes(32).toString('base64'),
  };
  first = await startSlackHarness({ env });
  second = await startSlackHarness({ env, fake: first.fake });
  secondWorkspace = new SlackWorkspace(first.fake, new SlackSigner(second.url, TEST_SIGNING_SECRET), () =>
    second.runtime.idle(),
  );
});

afterAll(async () => {
  await second?.close();
  await first?.close();
  await sms?.close();
  await smtp?.close();
});

let users = 0;

/** One employee as each instance sees them: the same Slack user, requests to either endpoint. */
async function employee(securityMobile: string) {
  users += 1;
  const id = `U0CL${users}`;
  const loginEmail = `cluster${users}@example.com`;
  const account = await first.application.stores.directory.create({
    loginEmail,
    accountName: `Cluster ${users}`,
    securityMobile,
  });
  await first.application.stores.directory.linkSlackUser(account.accountId, first.fake.teamId, id);
  const onFirst = first.workspace.person({ id, email: account.loginEmail });
  return {
    accountId: account.accountId,
    loginEmail,
    onFirst,
    onSecond: new SlackPerson(secondWorkspace, onFirst.user),
  };
}

async function smsCodes(to: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const codes = sms
      .messages()
      .filter((message) => message.to === to)
      .map((message) => /(?<!\d)(\d{6})(?!\d)/.exec(message.text)?.[1] ?? '');
    if (codes.length >= count) return codes;
    if (Date.now() > deadline) throw new Error(`fewer than ${count} texts to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function settleDeliveries(): Promise<void> {
  // Both instances run workers on the one queue; give a duplicate time to show up.
  await new Promise((resolve) => setTimeout(resolve, 500));
}

describe('Slack flows on a Redis Cluster with two app instances', () => {
  it('runs both instances on the cluster', () => {
    expect(first.application.stores.redis).toBeInstanceOf(Cluster);
    expect(second.application.stores.redis).toBeInstanceOf(Cluster);
  });

  it('a flow hops between the instances at every step and finishes; each text is sent once', async () => {
    const { accountId, onFirst, onSecond } = await employee('+8613800135701');
    await onFirst.say('change my security mobile');
    const [stepUp] = await smsCodes('+8613800135701', 1);
    await onSecond.click(slack.buttons.enterCode);
    await onSecond.submit({ Code: stepUp ?? '' });
    await onFirst.click(slack.buttons.enterValue);
    await onFirst.submit({ 'New security mobile': '+86 139 0013 9701' });
    const [confirm] = await smsCodes('+8613900139701', 1);
    await onSecond.click(slack.buttons.enterCode);
    await onSecond.submit({ Code: confirm ?? '' });

    expect(visibleText(onFirst.dmMessages()[0]?.blocks)).toContain(flows['change.saved']);
    const account = await second.application.stores.directory.getById(accountId);
    expect(account?.securityMobile).toBe('+8613900139701');
    await settleDeliveries();
    expect(sms.messages().filter((message) => message.to === '+8613900139701')).toHaveLength(1);
    // The old number: its step-up code and the change notice, each once.
    expect(sms.messages().filter((message) => message.to === '+8613800135701')).toHaveLength(2);
    expect(
      onFirst.dmMessages().filter((message) => message.text === slack.notices.securityMobileChanged),
    ).toHaveLength(1);
  });

  it('a code submitted to both instances at once applies once and tells the person once', async () => {
    const { accountId, onFirst } = await employee('+8613800135702');
    await onFirst.say('change my security mobile');
    const [stepUp] = await smsCodes('+8613800135702', 1);
    await onFirst.click(slack.buttons.enterCode);
    await onFirst.submit({ Code: stepUp ?? '' });
    await onFirst.click(slack.buttons.enterValue);
    await onFirst.submit({ 'New security mobile': '+86 139 0013 9702' });
    const [confirm] = await smsCodes('+8613900139702', 1);
    await onFirst.click(slack.buttons.enterCode);
    const payload = onFirst.submission(onFirst.modal(), { Code: confirm ?? '' });
    await Promise.all([
      first.workspace.signer.interaction(payload),
      secondWorkspace.signer.interaction(payload),
    ]);
    await Promise.all([first.runtime.idle(), second.runtime.idle()]);
    await settleDeliveries();

    expect((await first.application.stores.directory.getById(accountId))?.securityMobile).toBe(
      '+8613900139702',
    );
    expect(
      onFirst.dmMessages().filter((message) => message.text === slack.notices.securityMobileChanged),
    ).toHaveLength(1);
    expect(sms.messages().filter((message) => message.to === '+8613900139702')).toHaveLength(1);
    expect(sms.messages().filter((message) => message.to === '+8613800135702')).toHaveLength(2);
  });

  it('keeps every store, limiter, stream, dedupe key and the job queue on the cluster', async () => {
    const { loginEmail, onSecond } = await employee('+8613800135704');
    await onSecond.say('forgot password');
    await onSecond.click(slack.buttons.continue);
    await onSecond.submit({ 'Login email': loginEmail });
    await smtp.waitForMail(loginEmail);

    const cluster = first.application.stores.redis;
    expect(cluster).toBeInstanceOf(Cluster);
    const names = (await keysUnder(cluster as Cluster, keyPrefix)).map((key) =>
      key.slice(keyPrefix.length + 1),
    );
    const kinds = {
      accounts: /^\{acct:\d+\}:account$/,
      flows: /^\{slack:[^}]+\}:flow:/,
      'engine scratch': /:scratch:/,
      codes: /^\{acct:\d+\}:codes$/,
      'link tokens': /^lt:\{/,
      'rate limits': /:rl:/,
      'Slack dedupe': /^dedupe:\{/,
      'audit stream': /^\{audit\}$/,
      "an account's audit stream": /^\{acct:\d+\}:audit$/,
      'BullMQ queue': /^\{jobs\}:meta$/,
      'delivery done keys': /^\{jobs\}:done:/,
    };
    const missing = Object.entries(kinds)
      .filter(([, pattern]) => !names.some((name) => pattern.test(name)))
      .map(([kind]) => kind);
    expect(missing).toEqual([]);
  });

  it('a double click on Resend sent to both instances sends one text', async () => {
    const { onFirst, onSecond } = await employee('+8613800135703');
    await onFirst.say('change my security mobile');
    await smsCodes('+8613800135703', 1);
    const message = onFirst.latestDm();
    await Promise.all([
      onFirst.click(slack.buttons.resend, message),
      onSecond.click(slack.buttons.resend, message),
    ]);
    await settleDeliveries();
    expect(sms.messages().filter((text) => text.to === '+8613800135703')).toHaveLength(1);
  });
});
