import { afterAll, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { common } from '../../src/messages/common.js';
import { notifications } from '../../src/messages/notifications.js';
import { slack } from '../../src/messages/slack.js';
import { support } from '../../src/messages/support.js';
import { hasButton, visibleText } from '../support/slack/blocks.js';
import { useSlackHarness, type SlackHarness } from '../support/slack/harness.js';
import { secretsInText } from '../support/slack/leak-scanner.js';
import { SmsCapture } from '../support/sms-capture.js';

const AGENT = 'U0WAGENT';

let sms: SmsCapture;
const harness = useSlackHarness(async () => {
  sms = await SmsCapture.start();
  return {
    env: {
      SMS_WEBHOOK_URL: sms.url,
      SMS_WEBHOOK_SECRET: sms.secret,
      // The gateway below answers after 5 s; one request may take that long without failing.
      SMS_TIMEOUT_MS: '10000',
      SUPPORT_USER_IDS: AGENT,
    },
  };
});
afterAll(async () => {
  await sms.close();
});

let people = 0;
async function linkedPerson(h: SlackHarness) {
  people += 1;
  const id = `U0WINDOW${people}`;
  const account = await h.application.stores.directory.create({
    loginEmail: `window${people}@example.com`,
    accountName: `Window ${people}`,
  });
  await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, id);
  h.scanner.addSource(() => sms.messages().flatMap((message) => secretsInText(message.text)));
  return h.workspace.person({ id, email: account.loginEmail });
}

describe("Slack's 3-second window", () => {
  it('acks a code-sending modal at once although the gateway takes 5 s, then moves the DM', async () => {
    const h = harness();
    const person = await linkedPerson(h);
    await person.say('change my mobile');
    await person.click(slack.buttons.enterValue);
    sms.answerLate(5_000);

    const modal = person.modal();
    const started = performance.now();
    const answer = await h.workspace.signer.interaction(
      person.submission(modal, { 'New contact number': '+86 139 0013 9001' }),
    );
    const ackMs = performance.now() - started;
    person.applyAck(modal, answer);

    expect(answer.status).toBe(200);
    expect(ackMs).toBeLessThan(1_000);
    expect(person.hasModal()).toBe(false);
    await h.runtime.idle();
    const dm = person.latestDm();
    expect(person.dmMessages()).toHaveLength(1);
    expect(hasButton(dm.blocks, slack.buttons.enterCode)).toBe(true);
    expect(visibleText(dm.blocks)).toContain(slack.flowMessage.codeSent('+86 139****9001'));
  }, 20_000);

  it('says the code is delayed when its first delivery attempt fails', async () => {
    const person = await linkedPerson(harness());
    await person.say('change my mobile');
    await person.click(slack.buttons.enterValue);
    sms.failNext(1);
    await person.submit({ 'New contact number': '+86 139 0013 9002' });

    const text = visibleText(person.latestDm().blocks);
    expect(text).toContain(notifications.delivery.delayed);
    expect(text).not.toContain(slack.flowMessage.codeSent('+86 139****9002'));
    expect(hasButton(person.latestDm().blocks, slack.buttons.enterCode)).toBe(true);
  });
});

describe('replays', () => {
  it('answers a slash command replayed byte for byte once', async () => {
    const h = harness();
    const person = await linkedPerson(h);
    const body = new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: h.fake.teamId,
      channel_id: person.dmChannel,
      user_id: person.id,
      command: '/account',
      text: 'help',
      response_url: h.fake.responseUrl(person.dmChannel, person.id),
      trigger_id: h.fake.issueTrigger(person.id),
    }).toString();
    const contentType = 'application/x-www-form-urlencoded';
    const first = await h.workspace.signer.post(body, contentType);
    await h.runtime.idle();
    const replay = await h.workspace.signer.post(body, contentType);
    await h.runtime.idle();

    expect([first.status, replay.status]).toEqual([200, 200]);
    expect(person.dmMessages().map((message) => message.text)).toEqual([slack.help.title]);
  });
});

describe('answers reach the person', () => {
  it('answers support commands through the response_url where the bot is not a member', async () => {
    const h = harness();
    const target = await linkedPerson(h);
    const agent = h.workspace.person({ id: AGENT, email: 'agent@example.com' });
    h.fake.failNext('chat.postEphemeral', 'not_in_channel');
    await agent.command(`lookup <@${target.id}>`, { channel: 'C0NOTMEMBER' });

    const answers = h.fake.messagesIn('C0NOTMEMBER');
    expect(answers).toHaveLength(1);
    expect(answers[0]?.ephemeralTo).toBe(AGENT);
    expect(h.fake.callsOf('response_url')).toHaveLength(1);
    expect(answers[0]?.text).not.toBe(support.commands.notAgent);
  });

  it('tells the person when the Home tab cannot be published', async () => {
    const h = harness();
    const person = await linkedPerson(h);
    h.fake.failNext('views.publish', 'internal_error');
    await person.openHome();
    expect(visibleText(person.home().view.blocks as unknown[])).toContain(common.somethingWentWrong);
  });

  it('tells the person when the answer to a DM cannot be posted', async () => {
    const h = harness();
    const person = await linkedPerson(h);
    h.fake.failNext('chat.postMessage', 'internal_error');
    await person.say('help');
    expect(person.latestDm().text).toBe(common.somethingWentWrong);
  });

  it('tells the person when the basic-information form cannot read the account', async () => {
    const h = harness();
    const person = await linkedPerson(h);
    await person.say('menu');
    await person.click(slack.menu.info);
    await person.click(slack.basicInfo.editName);
    const account = await h.application.stores.directory.getBySlackUser(h.fake.teamId, person.id);
    const keys = new RedisKeys(h.deps.config.redis.keyPrefix);
    await h.application.stores.redis?.set(keys.account(account?.accountId ?? '', 'account'), 'not json');

    await person.click(slack.basicInfo.openForm);
    expect(person.hasModal()).toBe(false);
    expect(person.latestDm().text).toBe(common.recordDamaged);
  });
});
