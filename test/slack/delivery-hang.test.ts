import { describe, expect, it } from 'vitest';
import { flowText, flowTimings } from '../../src/messages/flows.js';
import { notifications } from '../../src/messages/notifications.js';
import { slack } from '../../src/messages/slack.js';
import { visibleText } from '../support/slack/blocks.js';
import { useSlackHarnessWithDeliveries } from '../support/slack/harness.js';
import { nextLinkedPerson } from '../support/slack/people.js';
import { readCode } from '../support/smtp-capture.js';

/**
 * A mail server that accepts connections and never greets them: each send waits for the
 * SMTP timeout (15 s) while holding one of the job workers' slots.
 */
const SLACK_WINDOW_MS = 3_000;
const JOB_CONCURRENCY = 3;

const { harness, deliveries } = useSlackHarnessWithDeliveries({
  JOB_CONCURRENCY: String(JOB_CONCURRENCY),
  DELIVERY_WAIT_MS: '2000',
});

describe('while the mail server hangs', () => {
  it('a reset request and a code by mail are acked at once; the code is "delayed" and arrives once mail flows', async () => {
    const h = harness();
    const { smtp } = deliveries;
    const resetter = await nextLinkedPerson(h, 'SMTPRESET');
    const mailed = await nextLinkedPerson(h, 'SMTPCODE', (n) => ({
      verificationEmail: `smtpcode.v${n}@example.com`,
    }));
    smtp.hang();
    try {
      await resetter.say('forgot password');
      await resetter.click(slack.buttons.continue);
      await resetter.submit({ 'Login email': 'smtpreset1@example.com' });
      expect(h.workspace.signer.lastAckMs).toBeLessThan(SLACK_WINDOW_MS);
      expect(visibleText(resetter.latestDm().blocks)).toContain(
        flowText('reset.linkOnItsWay', flowTimings(h.deps.config)),
      );

      await mailed.command('password');
      expect(h.workspace.signer.lastAckMs).toBeLessThan(SLACK_WINDOW_MS);
      expect(visibleText(mailed.latestDm().blocks)).toContain(notifications.delivery.delayed);
    } finally {
      smtp.release();
    }
    const mail = await smtp.waitForMail('smtpcode.v1@example.com', { timeoutMs: 30_000 });
    await mailed.click(slack.buttons.enterCode);
    await mailed.submit({ Code: readCode(mail) });
    expect(visibleText(mailed.latestDm().blocks)).toContain(slack.buttons.openPasswordPage);
    await smtp.waitForMail('smtpreset1@example.com', { timeoutMs: 30_000 });
  }, 60_000);

  it('mail stuck in every worker slot but one does not hold up a code by text', async () => {
    const h = harness();
    const { sms, smtp } = deliveries;
    const mailers = [];
    for (let n = 0; n < JOB_CONCURRENCY + 1; n++) {
      mailers.push(
        await nextLinkedPerson(h, 'SMTPSTUCK', (i) => ({ verificationEmail: `stuck.v${i}@example.com` })),
      );
    }
    const texter = await nextLinkedPerson(h, 'SMSFREE', (n) => ({
      securityMobile: `+861380013${String(n).padStart(4, '0')}`,
    }));
    smtp.hang();
    try {
      await Promise.all(mailers.map((person) => person.command('password')));
      await texter.command('password');
      const shown = visibleText(texter.latestDm().blocks);
      expect(shown).not.toContain(notifications.delivery.delayed);
      expect(shown).toContain('a code is on its way to +86 138****0001');
      expect(sms.messages().filter((message) => message.to === '+8613800130001')).toHaveLength(1);
    } finally {
      smtp.release();
    }
  }, 60_000);
});
