import { afterAll, describe, expect, it } from 'vitest';
import { clockTime } from '../../src/messages/codes.js';
import { notifications } from '../../src/messages/notifications.js';
import { slack } from '../../src/messages/slack.js';
import { support } from '../../src/messages/support.js';
import { NOT_ME_ACTION_ID } from '../../src/slack/action-ids.js';
import { buttons, visibleText } from '../support/slack/blocks.js';
import { useSlackHarness, type SlackHarness } from '../support/slack/harness.js';
import type { SlackPerson } from '../support/slack/workspace.js';
import { linkedPerson } from '../support/slack/people.js';
import { SmsCapture } from '../support/sms-capture.js';
import { SmtpCapture } from '../support/smtp-capture.js';

const AGENT = 'U0LOCKAGENT';
// Not the 15-minute default, so a sentence that states a fixed time shows up.
const LOCK_MS = 1_200_000;

let sms: SmsCapture;
let smtp: SmtpCapture;
const harness = useSlackHarness(async () => {
  sms = await SmsCapture.start();
  smtp = await SmtpCapture.start();
  return {
    env: {
      SMS_WEBHOOK_URL: sms.url,
      SMS_WEBHOOK_SECRET: sms.secret,
      SMTP_URL: smtp.url,
      SUPPORT_USER_IDS: AGENT,
      CODE_LOCK_SECONDS: String(LOCK_MS / 1000),
      CODE_FAILURES_PER_HOUR: '10',
      CODE_TTL_SECONDS: '300',
    },
  };
});
afterAll(async () => {
  await sms.close();
  await smtp.close();
});

let people = 0;
async function employee(h: SlackHarness, mobile: string) {
  people += 1;
  const id = `U0LOCK${people}`;
  const loginEmail = `locked${people}@example.com`;
  const linked = await linkedPerson(h, id, {
    loginEmail,
    accountName: `Locked ${people}`,
    securityMobile: mobile,
  });
  return { ...linked, loginEmail };
}

/** Starts a step-up and enters `tries` wrong codes, each one different (a repeat is checked once). */
async function wrongCodes(person: SlackPerson, mobile: string, nth: number, tries: number, from: number) {
  await person.say('change my verification email');
  const sent = await sms.code(mobile, nth);
  await person.click(slack.buttons.enterCode);
  for (let index = 0; index < tries; index += 1) {
    const guess = String(from + index).padStart(6, '0');
    await person.submit({ Code: guess === sent ? String(from + 500).padStart(6, '0') : guess });
  }
  if (person.hasModal()) await person.closeModal();
}

describe('code entry lock (Slack, SMS and mail)', () => {
  it('tells the owner by DM and email at the first lock, shows it to support, and keeps the failures', async () => {
    const h = harness();
    const mobile = '+8613800137001';
    const { person, loginEmail, accountId } = await employee(h, mobile);

    await wrongCodes(person, mobile, 1, 5, 100000);
    await wrongCodes(person, mobile, 2, 5, 200000);
    const lockedAt = h.clock.now();
    const shown = person
      .dmMessages()
      .map((message) => visibleText(message.blocks))
      .join('\n');
    expect(shown).toContain('identity verification is locked for at least 20 minutes');

    const notice = person.dmMessages().find((message) => message.text.startsWith('Too many wrong'));
    expect(notice?.text).toBe(slack.notices.codesLocked(clockTime(lockedAt + LOCK_MS)));
    expect(buttons(notice?.blocks).map((button) => button.actionId)).toContain(NOT_ME_ACTION_ID);
    const mail = await smtp.waitForMail(loginEmail);
    expect(mail.subject).toBe(notifications.email.codesLocked.subject);

    const agent = h.workspace.person({ id: AGENT });
    await agent.mention('C0GENERAL', `lookup <@${person.id}>`);
    expect(h.fake.messagesIn('C0GENERAL').at(-1)?.text).toContain(
      support.lookup.codesLockedValue(
        `${new Date(lockedAt + LOCK_MS).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      ),
    );

    // The lock kept the failures of the hour: after it, one wrong code locks again, twice as long.
    h.clock.set(lockedAt + LOCK_MS);
    await wrongCodes(person, mobile, 3, 1, 300000);
    expect(await h.application.services.codes.lockedUntil(accountId)).toBe(lockedAt + 3 * LOCK_MS);
    // Only the first lock of the day is announced.
    const notices = person.dmMessages().filter((message) => message.text.startsWith('Too many wrong'));
    expect(notices).toHaveLength(1);
    const audited = (await h.application.stores.audit.recent(100)).filter(
      (event) => event.accountId === accountId && event.action === 'code.locked',
    );
    expect(audited.map((event) => event.detail?.lockNumber).sort()).toEqual(['1', '2']);
  });

  it('says how long a code works, as configured, when it has expired', async () => {
    const h = harness();
    const mobile = '+8613800137002';
    const { person } = await employee(h, mobile);
    await person.say('change my verification email');
    const code = await sms.code(mobile);
    h.clock.advance(300_001);
    await person.click(slack.buttons.enterCode);
    const refused = await person.submit({ Code: code });

    const shown = [
      ...Object.values((refused.json?.errors ?? {}) as Record<string, string>),
      ...person.dmMessages().map((message) => visibleText(message.blocks)),
    ].join('\n');
    expect(shown).toContain('enter it within 5 minutes');
  });
});
