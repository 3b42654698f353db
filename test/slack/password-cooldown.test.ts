import { describe, expect, it } from 'vitest';
import { clockTime } from '../../src/messages/codes.js';
import { flowText, flowTimings } from '../../src/messages/flows.js';
import { notifications } from '../../src/messages/notifications.js';
import { slack } from '../../src/messages/slack.js';
import { NOT_ME_ACTION_ID } from '../../src/slack/action-ids.js';
import { buttons, visibleText } from '../support/slack/blocks.js';
import { changePasswordPage } from '../support/slack/password-page.js';
import { linkedPerson } from '../support/slack/people.js';
import { useSlackHarnessWithDeliveries } from '../support/slack/harness.js';

const COOLDOWN_MS = 15 * 60 * 1000;
const MOBILE = '+8613800137501';

const { harness, deliveries } = useSlackHarnessWithDeliveries();

describe('wrong current password cooldown notice (change-password page, Slack and mail)', () => {
  it('tells the owner by DM on every linked Slack user and by email once per cooldown, and audits it', async () => {
    const h = harness();
    const loginEmail = 'guessed@example.com';
    const account = await h.application.stores.directory.create({
      loginEmail,
      accountName: 'Guessed Person',
      securityMobile: MOBILE,
      passwordHash: await h.application.services.credentials.hash('Right-pass-1!'),
    });
    await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, 'U0GUESSED1');
    await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, 'U0GUESSED2');
    const person = h.workspace.person({ id: 'U0GUESSED1', email: loginEmail });
    const other = h.workspace.person({ id: 'U0GUESSED2', email: loginEmail });

    /** Steps up for a change-password link as the first linked user; returns the page token. */
    const openPage = async (nth: number): Promise<string> => {
      // A step-up of minutes ago still counts, so the second link may come without a code.
      const { token } = await changePasswordPage(person, () => deliveries.sms.code(MOBILE, nth));
      h.scanner.add('token', token);
      return token;
    };
    const guess = async (token: string, attempt: number) => {
      h.scanner.add('password', `Wrong-pass-${attempt}!`);
      return h.passwordPages?.changeSubmit(token, `Wrong-pass-${attempt}!`, 'New-pass-1?', 'New-pass-1?');
    };

    const first = await openPage(1);
    const startedAt = h.clock.now();
    const states = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) states.push(await guess(first, attempt));
    expect(states.map((state) => state?.page)).toEqual(['form', 'form', 'form', 'form', 'cooldown']);
    expect(states[4]).toEqual({ page: 'cooldown', retryAt: startedAt + COOLDOWN_MS });
    // A new link during the same cooldown is refused too, and announces nothing again.
    expect(await guess(await openPage(2), 6)).toEqual({ page: 'cooldown', retryAt: startedAt + COOLDOWN_MS });
    await h.runtime.idle();

    const expected = slack.notices.passwordCooldown(clockTime(startedAt + COOLDOWN_MS));
    for (const linked of [person, other]) {
      const notices = linked.dmMessages().filter((message) => message.text === expected);
      expect(notices).toHaveLength(1);
      expect(buttons(notices[0]?.blocks).map((button) => button.actionId)).toContain(NOT_ME_ACTION_ID);
    }
    const mail = await deliveries.smtp.waitForMail(loginEmail);
    expect(mail.subject).toBe(notifications.email.passwordCooldown.subject);
    expect(mail.text).not.toMatch(/Wrong-pass|Right-pass/);
    expect(deliveries.smtp.messages.filter((sent) => sent.subject === mail.subject)).toHaveLength(1);

    const audited = (await h.application.stores.audit.recent(200)).filter(
      (event) => event.accountId === account.accountId && event.action === 'owner.alarmed',
    );
    expect(audited.map((event) => [event.outcome, event.detail?.kind])).toEqual([
      ['success', 'passwordCooldown'],
    ]);
  });

  it("ends the flow's DM message with the machine's own outcome when the page cools down", async () => {
    const h = harness();
    const mobile = '+8613800137502';
    const { person } = await linkedPerson(h, 'U0COOLED1', {
      loginEmail: 'cooled@example.com',
      accountName: 'Cooled Person',
      securityMobile: mobile,
      passwordHash: await h.application.services.credentials.hash('Right-pass-2!'),
    });
    const { token } = await changePasswordPage(person, () => deliveries.sms.code(mobile, 1));
    h.scanner.add('token', token);
    const flowMessage = () =>
      person
        .dmMessages()
        .find((message) => visibleText(message.blocks).includes(slack.flowTitles.changePassword));

    for (let attempt = 1; attempt <= 5; attempt += 1) {
      h.scanner.add('password', `Not-it-${attempt}!`);
      await h.passwordPages?.changeSubmit(token, `Not-it-${attempt}!`, 'New-pass-2?', 'New-pass-2?');
    }
    await h.runtime.idle();

    // No Slack request followed the page: the message moved because the flow ended there.
    const shown = visibleText(flowMessage()?.blocks);
    expect(shown).toContain(flowText('password.currentPasswordCooldown', flowTimings(h.deps.config)));
    expect(buttons(flowMessage()?.blocks)).toEqual([]);
  });
});
