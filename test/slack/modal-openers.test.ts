import { afterAll, describe, expect, it } from 'vitest';
import { review } from '../../src/messages/review.js';
import { slack } from '../../src/messages/slack.js';
import { visibleText } from '../support/slack/blocks.js';
import type { FakeMessage } from '../support/slack/fake-slack.js';
import { REVIEW_CHANNEL, useSlackHarness, type SlackHarness } from '../support/slack/harness.js';
import type { SlackPerson } from '../support/slack/workspace.js';
import { nextLinkedPerson } from '../support/slack/people.js';
import { SmsCapture } from '../support/sms-capture.js';

const REVIEWER = 'U0OPENREVIEWER';

let sms: SmsCapture;
const harness = useSlackHarness(async () => {
  sms = await SmsCapture.start();
  return {
    env: { SMS_WEBHOOK_URL: sms.url, SMS_WEBHOOK_SECRET: sms.secret, REVIEWER_USER_IDS: REVIEWER },
  };
});
afterAll(async () => {
  await sms.close();
});

/** Everything shown to `userId` since call `since`: DMs, ephemerals and response_url answers. */
function toldSince(h: SlackHarness, userId: string, since: number): string {
  return h.fake.calls
    .slice(since)
    .filter(
      (call) => call.ok && ['chat.postMessage', 'chat.postEphemeral', 'response_url'].includes(call.method),
    )
    .filter((call) => call.args.channel === userId || call.args.user === userId)
    .map((call) => visibleText(call.args.blocks, String(call.args.text ?? '')))
    .join('\n');
}

/** Clicks `button` while Slack refuses views.open as it does for a trigger older than 3 s. */
async function clickWithExpiredTrigger(
  h: SlackHarness,
  person: SlackPerson,
  button: string,
  where?: FakeMessage,
): Promise<string> {
  h.fake.failNext('views.open', 'expired_trigger_id');
  const since = h.fake.calls.length;
  const answer = await person.click(button, where);
  expect(answer.status).toBe(200);
  expect(person.hasModal()).toBe(false);
  return toldSince(h, person.id, since);
}

async function toIdentityForm(person: SlackPerson): Promise<void> {
  await person.say('verify my identity');
  await person.click(slack.identity.individual);
  await person.click(slack.identity.acknowledge);
}

describe('a form Slack refuses to open (expired trigger)', () => {
  it('"Enter new value" tells the person to click again, and the next click opens it', async () => {
    const h = harness();
    const person = await nextLinkedPerson(h, 'OPENER', (n) => ({
      securityMobile: `+8613800${String(140000 + n)}`,
    }));
    await person.say('change my mobile');
    expect(await clickWithExpiredTrigger(h, person, slack.buttons.enterValue)).toContain(
      slack.modal.notOpened,
    );
    await person.click(slack.buttons.enterValue, person.dmMessages()[0]);
    expect(person.hasModal()).toBe(true);
  });

  it('"Enter code" tells the person to click again', async () => {
    const h = harness();
    const person = await nextLinkedPerson(h, 'OPENER', (n) => ({
      securityMobile: `+8613800${String(140000 + n)}`,
    }));
    await person.say('change my mobile');
    await person.click(slack.buttons.enterValue);
    await person.submit({ 'New contact number': '+86 139 0013 9301' });
    expect(await clickWithExpiredTrigger(h, person, slack.buttons.enterCode)).toContain(
      slack.modal.notOpened,
    );
  });

  it('"Continue" of a forgotten password tells the person to click again', async () => {
    const h = harness();
    const person = await nextLinkedPerson(h, 'OPENER', (n) => ({
      securityMobile: `+8613800${String(140000 + n)}`,
    }));
    await person.say('forgot password');
    expect(await clickWithExpiredTrigger(h, person, slack.buttons.continue)).toContain(slack.modal.notOpened);
  });

  it('the identity form tells the person to click again', async () => {
    const h = harness();
    const person = await nextLinkedPerson(h, 'OPENER', (n) => ({
      securityMobile: `+8613800${String(140000 + n)}`,
    }));
    await toIdentityForm(person);
    expect(await clickWithExpiredTrigger(h, person, slack.identity.openForm)).toContain(
      slack.modal.notOpened,
    );
  });

  it('the basic-information form tells the person to click again', async () => {
    const h = harness();
    const person = await nextLinkedPerson(h, 'OPENER', (n) => ({
      securityMobile: `+8613800${String(140000 + n)}`,
    }));
    await person.say('menu');
    await person.click(slack.menu.info);
    await person.click(slack.basicInfo.editName);
    expect(await clickWithExpiredTrigger(h, person, slack.basicInfo.openForm)).toContain(
      slack.modal.notOpened,
    );
  });

  it("a reviewer's Reject and View document tell the reviewer, in the channel, to click again", async () => {
    const h = harness();
    const person = await nextLinkedPerson(h, 'OPENER', (n) => ({
      securityMobile: `+8613800${String(140000 + n)}`,
    }));
    const reviewer = h.workspace.person({ id: REVIEWER, email: 'reviewer@example.com' });
    await toIdentityForm(person);
    await person.click(slack.identity.openForm);
    h.scanner.add('document', 'E93017730');
    await person.submit({
      'Document type': slack.identity.documentTypes.passport,
      'Full legal name': 'Opener Person',
      'Document number': 'E93017730',
      'Issuing country/region code': 'CN',
    });
    const card = h.fake.messagesIn(REVIEW_CHANNEL).at(-1);
    if (!card) throw new Error('no review card was posted');

    for (const button of [review.card.reject, review.card.viewDocument]) {
      expect(await clickWithExpiredTrigger(h, reviewer, button, card), button).toContain(
        slack.modal.notOpened,
      );
    }
  });
});
