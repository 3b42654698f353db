import { afterAll, describe, expect, it } from 'vitest';
import { slack } from '../../src/messages/slack.js';
import { hasButton, visibleText } from '../support/slack/blocks.js';
import { useSlackHarness } from '../support/slack/harness.js';
import { linkedPerson } from '../support/slack/people.js';
import { SmsCapture } from '../support/sms-capture.js';

let sms: SmsCapture;
const harness = useSlackHarness(async () => {
  sms = await SmsCapture.start();
  return { env: { SMS_WEBHOOK_URL: sms.url, SMS_WEBHOOK_SECRET: sms.secret } };
});
afterAll(async () => {
  await sms.close();
});

/**
 * What version 2 of changeSecurityMobile stored while its step-up waited for the code: the
 * code loop lived in step-up itself then (state `enterCode`); version 3 runs it in a
 * code-challenge child, where this snapshot cannot be restored.
 */
const VERSION_2_AT_STEP_UP = {
  status: 'active',
  value: 'stepUp',
  historyValue: {},
  context: {
    idleTimeoutMs: 1_800_000,
    idleDeadline: 4_102_444_800_000,
    seenAt: 4_102_443_000_000,
    notice: null,
    reason: null,
    lastError: null,
    privilegedUntil: 0,
    privilegedWindowMs: 300_000,
    methods: { sms: true, email: true },
    newValue: null,
    taken: false,
    savedUnverified: false,
    fieldError: null,
    code: null,
    sends: 0,
    entries: 0,
  },
  children: {
    stepUp: {
      snapshot: {
        status: 'active',
        value: 'enterCode',
        historyValue: {},
        context: {
          idleTimeoutMs: 1_800_000,
          idleDeadline: 4_102_444_800_000,
          seenAt: 4_102_443_000_000,
          notice: null,
          reason: null,
          lastError: null,
          purpose: 'step-up',
          startedAt: 4_102_443_000_000,
          privilegedUntil: 0,
          privilegedWindowMs: 300_000,
          methods: { sms: true, email: true },
          channel: 'sms',
          code: {
            channel: 'sms',
            maskedTarget: '+86 138****5690',
            expiresAt: 4_102_443_600_000,
            resendAt: 4_102_443_060_000,
            attemptsLeft: null,
          },
          sends: 1,
        },
        children: {},
      },
      src: 'stepUp',
      syncSnapshot: false,
    },
  },
};

describe('a flow in progress when a new machine version is deployed', () => {
  it('is ended as an update, not as a damaged record, and the person can start again', async () => {
    const h = harness();
    const { person, accountId } = await linkedPerson(h, 'U0DEPLOY', {
      loginEmail: 'deploy@example.com',
      accountName: 'Deploy',
      securityMobile: '+8613800135690',
      verificationEmail: 'deploy.verify@example.com',
    });
    await person.say('change my security mobile');
    const code = await sms.code('+8613800135690');

    // The deploy: what the previous version stored for this step replaces the new one's.
    const { flowSessions, audit } = h.application.stores;
    const owner = `slack:${h.fake.teamId}:U0DEPLOY`;
    const flowId = await flowSessions.active(owner);
    if (flowId === null) throw new Error('no flow started');
    const read = await flowSessions.get(owner, flowId);
    if (read.status !== 'found') throw new Error('flow not stored');
    // Version 2 stored the snapshot as XState persisted it, beside the flow's binding.
    await flowSessions.compareAndSet(owner, flowId, read.envelope.rev, {
      snapshot: { accountId, slackProfileEmail: null, state: VERSION_2_AT_STEP_UP },
      version: 2,
    });

    await person.click(slack.buttons.enterCode);
    await person.submit({ Code: code });
    expect(visibleText(person.latestDm().blocks)).toContain(slack.flowMessage.ended);
    const ended = (await audit.recent(20)).filter((event) => event.action === 'flow.ended');
    expect(ended.map((event) => event.detail?.reason)).toEqual(['version']);
    expect((await h.application.stores.directory.getById(accountId))?.securityMobile).toBe('+8613800135690');

    await person.say('change my security mobile');
    expect(hasButton(person.latestDm().blocks, slack.buttons.enterCode)).toBe(true);
  });
});
