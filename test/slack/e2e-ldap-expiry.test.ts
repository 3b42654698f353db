import { Attribute, Change } from 'ldapts';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDate } from '../../src/slack/account-summary.js';
import { notifications } from '../../src/messages/notifications.js';
import { slack } from '../../src/messages/slack.js';
import { PASSWORD_EXPIRY_SCAN_JOB } from '../../src/services/notifications/reminders.js';
import { eventually } from '../notifications/eventually.js';
import { asAdmin, attributeOf, linkedDirectoryPerson } from '../support/ldap.js';
import {
  ldapEnvironment,
  LDAP_POLICY_DN,
  startLdapServer,
  type LdapServerHandle,
} from '../support/ldap-server.js';
import { findButton } from '../support/slack/blocks.js';
import { useSlackHarness } from '../support/slack/harness.js';
import type { SlackPerson } from '../support/slack/workspace.js';
import { SmsCapture } from '../support/sms-capture.js';
import { SmtpCapture } from '../support/smtp-capture.js';

const DAY_S = 86_400;
const LEAD_DAYS = 14;
/** The reminder is due this long after a change: the policy's maximum age minus the lead. */
const DUE_AFTER_S = 6;

let sms: SmsCapture;
let smtp: SmtpCapture;
let ldap: LdapServerHandle;
const harness = useSlackHarness(async () => {
  sms = await SmsCapture.start();
  smtp = await SmtpCapture.start();
  ldap = await startLdapServer();
  await asAdmin(ldap, (client) =>
    client.modify(
      LDAP_POLICY_DN,
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'pwdMaxAge', values: [String(LEAD_DAYS * DAY_S + DUE_AFTER_S)] }),
      }),
    ),
  );
  return {
    env: {
      SMS_WEBHOOK_URL: sms.url,
      SMS_WEBHOOK_SECRET: sms.secret,
      SMTP_URL: smtp.url,
      ...ldapEnvironment(ldap),
      LDAP_PASSWORD_POLICY_DN: LDAP_POLICY_DN,
      PASSWORD_EXPIRY_REMINDER_DAYS: String(LEAD_DAYS),
    },
  };
});
afterAll(async () => {
  await sms.close();
  await smtp.close();
  await ldap.dispose();
});

let users = 0;

async function employee(): Promise<{ person: SlackPerson; dn: string; mobile: string; email: string }> {
  users += 1;
  const mobile = `+86138002${String(users).padStart(5, '0')}`;
  const added = await linkedDirectoryPerson(ldap, harness(), {
    uid: `expiring${users}`,
    name: `Expiring ${users}`,
    mobile,
    password: 'Initial.pass1',
    slackUserId: `U0X${users}`,
  });
  return { ...added, mobile };
}

const expiryText = (person: SlackPerson) =>
  person.dmMessages().find((message) => message.text.startsWith('Your company password expires on'));

async function changedAt(dn: string): Promise<number> {
  const [time] = await attributeOf(ldap, dn, 'pwdChangedTime');
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(time ?? '');
  if (!match) throw new Error(`no pwdChangedTime on ${dn}`);
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s);
}

describe('password expiry reminders from the directory (real slapd, real job queue)', () => {
  it('a password changed here: the DM comes 14 days before pwdMaxAge ends, with a button that starts the change', async () => {
    const h = harness();
    const { person, dn, mobile, email } = await employee();
    h.clock.set(Date.now());
    await person.command('password');
    await person.click(slack.buttons.enterCode);
    await person.submit({ Code: await sms.code(mobile) });
    const page = findButton(person.latestDm().blocks, slack.buttons.openPasswordPage);
    const token = new URL(page.url ?? '').pathname.split('/').at(-1);
    expect(
      await h.passwordPages?.changeSubmit(token ?? '', 'Initial.pass1', 'Changed.pass2', 'Changed.pass2'),
    ).toEqual({
      page: 'done',
      kind: 'change',
    });
    const account = await h.application.stores.directory.getBySlackUser(h.fake.teamId, person.id);
    const job = `password-age:${account?.accountId}:${await changedAt(dn)}`;
    expect((await h.application.notifications.queue.status(job)).state).toBe('delayed');
    expect(expiryText(person)).toBeUndefined();

    await eventually(() => expiryText(person) !== undefined, (DUE_AFTER_S + 15) * 1000);
    const expiresAt = (await changedAt(dn)) + (LEAD_DAYS * DAY_S + DUE_AFTER_S) * 1000;
    const notice = expiryText(person);
    expect(notice?.text).toBe(slack.notices.passwordExpiring(formatDate(expiresAt)));
    await eventually(() =>
      smtp.mailsTo(email).some((mail) => mail.subject === notifications.email.passwordExpiry.subject),
    );

    await person.click(slack.notices.changePasswordButton, notice);
    // Still inside the privileged window: the new change flow offers a fresh page link at once.
    const renewed = findButton(person.latestDm().blocks, slack.buttons.openPasswordPage);
    expect(renewed.url).not.toBe(page.url);
  });

  it('a password set elsewhere: the daily scan finds it in the directory and the owner is reminded', async () => {
    const h = harness();
    const { person, dn } = await employee();
    const set = await changedAt(dn);
    // The scan runs as the job queue runs it; the clock stands where the reminder is due.
    h.clock.set(set + DUE_AFTER_S * 1000);
    await h.application.notifications.queue.enqueue({
      id: `scan-${users}`,
      kind: PASSWORD_EXPIRY_SCAN_JOB,
      payload: { from: set - 60_000 },
    });
    await eventually(() => expiryText(person) !== undefined, 10_000);
    expect(expiryText(person)?.text).toBe(
      slack.notices.passwordExpiring(formatDate(set + (LEAD_DAYS * DAY_S + DUE_AFTER_S) * 1000)),
    );
  });
});
