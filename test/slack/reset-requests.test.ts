import { afterAll, describe, expect, it } from 'vitest';
import { flowText, flowTimings } from '../../src/messages/flows.js';
import { notifications } from '../../src/messages/notifications.js';
import { slack } from '../../src/messages/slack.js';
import { visibleText } from '../support/slack/blocks.js';
import { useSlackHarness, type SlackHarness } from '../support/slack/harness.js';
import type { SlackPerson } from '../support/slack/workspace.js';
import { SmtpCapture } from '../support/smtp-capture.js';

let smtp: SmtpCapture;
const harness = useSlackHarness(async () => {
  smtp = await SmtpCapture.start();
  return { env: { SMTP_URL: smtp.url, RESET_LINK_TTL_SECONDS: '3600' } };
});
afterAll(async () => {
  await smtp.close();
});

async function account(h: SlackHarness, loginEmail: string) {
  await h.application.stores.directory.create({ loginEmail, accountName: loginEmail.split('@')[0] ?? '' });
}

async function askReset(person: SlackPerson, loginEmail: string): Promise<string> {
  await person.say('forgot password');
  await person.click(slack.buttons.continue);
  await person.submit({ 'Login email': loginEmail });
  return visibleText(person.latestDm().blocks);
}

describe('reset requests from Slack', () => {
  it('states the configured lifetime of the reset link', async () => {
    const h = harness();
    await account(h, 'lifetime@example.com');
    const shown = await askReset(h.workspace.person({ id: 'U0LIFETIME' }), 'lifetime@example.com');
    expect(shown).toContain('The link works for 1 hour.');
    expect(shown).not.toContain('48 hours');
  });

  it('limits one Slack user to 5 requests an hour across accounts, with the same answer past it', async () => {
    const h = harness();
    const asker = h.workspace.person({ id: 'U0SPRAYER' });
    const targets = Array.from({ length: 7 }, (_, index) => `sprayed${index}@example.com`);
    for (const target of targets) await account(h, target);

    for (const target of targets) {
      expect(await askReset(asker, target)).toContain(
        flowText('reset.linkOnItsWay', flowTimings(harness().deps.config)),
      );
    }
    for (const target of targets.slice(0, 5)) {
      expect((await smtp.waitForMail(target)).subject).toBe(notifications.email.resetLink.subject);
    }
    const refused = (await h.application.stores.audit.recent(100)).filter(
      (event) => event.detail?.reason === 'requester-limit',
    );
    expect(refused).toHaveLength(2);
    expect(refused.every((event) => event.actor === `slack:${h.fake.teamId}:U0SPRAYER`)).toBe(true);

    // Another member is not held back by the first one's requests.
    const other = h.workspace.person({ id: 'U0OTHERASKER' });
    await account(h, 'fresh@example.com');
    await askReset(other, 'fresh@example.com');
    await smtp.waitForMail('fresh@example.com');
    // Mail goes out in order through one queue: by now the refused ones would have arrived.
    expect(
      smtp.messages.filter((mail) => targets.slice(5).some((target) => mail.to.includes(target))),
    ).toEqual([]);
  });
});
