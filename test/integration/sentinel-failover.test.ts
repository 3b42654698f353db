import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFailFastRedis, waitUntilReady } from '../../src/adapters/redis/connection.js';
import { common } from '../../src/messages/common.js';
import { flows } from '../../src/messages/flows.js';
import { slack } from '../../src/messages/slack.js';
import { servedAgain } from '../support/failover.js';
import { visibleText } from '../support/slack/blocks.js';
import { startSlackHarness, type SlackHarness } from '../support/slack/harness.js';
import { startRedisSentinel, type RedisSentinelHandle } from '../support/redis-topologies.js';
import { SmsCapture } from '../support/sms-capture.js';
import { SmtpCapture } from '../support/smtp-capture.js';

/**
 * The app on Redis Sentinel (one primary, one replica, three sentinels, all real): a flow is
 * started, the primary is killed, the sentinels promote the replica, and the flow finishes on
 * the new primary. Meanwhile every call answers "temporarily unavailable" (never a wrong
 * answer, never a hang), and mail queued before the failover arrives exactly once.
 *
 * @module-tag topology
 */
let topology: RedisSentinelHandle;
let sms: SmsCapture;
let smtp: SmtpCapture;
let h: SlackHarness;

beforeAll(async () => {
  [topology, sms, smtp] = await Promise.all([startRedisSentinel(), SmsCapture.start(), SmtpCapture.start()]);
  h = await startSlackHarness({
    env: {
      REDIS_SENTINELS: topology.sentinels.map((node) => `${node.host}:${node.port}`).join(','),
      REDIS_SENTINEL_NAME: topology.name,
      SMS_WEBHOOK_URL: sms.url,
      SMS_WEBHOOK_SECRET: sms.secret,
      SMTP_URL: smtp.url,
      DELIVERY_BACKOFF_MS: '200',
      DELIVERY_ATTEMPTS: '12',
    },
  });
});

afterAll(async () => {
  await h?.close();
  await Promise.all([topology?.dispose(), sms?.close(), smtp?.close()]);
});

/** Waits until the replica holds every write the primary acknowledged, as a steady system does. */
async function replicated(): Promise<void> {
  const primary = createFailFastRedis(`redis://127.0.0.1:${topology.primary.port}`);
  try {
    await waitUntilReady(primary);
    expect(await primary.wait(1, 2_000)).toBe(1);
  } finally {
    primary.disconnect();
  }
}

describe('Redis Sentinel failover under a running flow', () => {
  it('a flow started before the primary dies finishes on the promoted replica; queued mail arrives once', async () => {
    const stores = h.application.stores;
    const account = await stores.directory.create({
      loginEmail: 'failover@example.com',
      accountName: 'Fail Over',
      securityMobile: '+8613800135801',
    });
    await stores.directory.linkSlackUser(account.accountId, h.fake.teamId, 'U0FAIL1');
    const person = h.workspace.person({ id: 'U0FAIL1', email: account.loginEmail });

    await person.say('change my security mobile');
    await person.click(slack.buttons.enterCode);
    await person.submit({ Code: await sms.code('+8613800135801', 1) });
    expect(visibleText(person.latestDm().blocks)).toContain(slack.buttons.enterValue);

    // A mail that cannot go out yet: it waits in the queue across the failover.
    await smtp.down();
    await h.application.notifications.delivery.email({
      id: `failover-mail-${randomBytes(4).toString('hex')}`,
      to: 'failover@example.com',
      template: { kind: 'identity-approved' },
    });
    await replicated();

    const oldPrimary = topology.primary.port;
    const killedAt = performance.now();
    await topology.primary.kill();

    // While no primary answers, a step is refused with the one "try again" sentence.
    const before = h.fake.calls.length;
    const during = await person.click(slack.buttons.enterValue);
    expect(during.status).toBeLessThan(500);
    expect(JSON.stringify(h.fake.calls.slice(before))).toContain(common.temporarilyUnavailable);

    // Every store call in the gap fails closed; none hangs past the 3-second window.
    const gap = await servedAgain(
      () => stores.dedupe.claim(`failover-probe-${randomBytes(4).toString('hex')}`, 60_000),
      killedAt,
    );
    // The sentinel asked here may learn of the promotion a moment after the one the app asked.
    await vi.waitFor(async () => expect(await topology.primaryPort()).not.toBe(oldPrimary), {
      timeout: 10_000,
      interval: 100,
    });
    expect(gap.refused).toBeGreaterThan(0);
    expect(gap.slowestMs).toBeLessThan(3_000);
    // The measured gap goes into the run's output for the deployment notes (README "Deploying").
    console.info(`sentinel failover gap: ${Math.round(gap.gapMs)} ms (${gap.refused} refused calls)`);

    // The flow goes on where it was, on the new primary, from its own message.
    const flowMessage = () => person.dmMessages()[0];
    await person.click(slack.buttons.enterValue, flowMessage());
    await person.submit({ 'New security mobile': '+86 139 0013 9801' });
    await person.click(slack.buttons.enterCode, flowMessage());
    await person.submit({ Code: await sms.code('+8613900139801', 1) });
    expect(visibleText(flowMessage()?.blocks)).toContain(flows['change.saved']);
    expect((await stores.directory.getById(account.accountId))?.securityMobile).toBe('+8613900139801');

    await smtp.up();
    await smtp.waitForMail('failover@example.com');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(smtp.mailsTo('failover@example.com')).toHaveLength(1);
    expect(sms.messages().filter((message) => message.to === '+8613900139801')).toHaveLength(1);
  }, 60_000);
});
