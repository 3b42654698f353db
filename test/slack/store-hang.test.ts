import { afterAll, describe, expect, it } from 'vitest';
import { common } from '../../src/messages/common.js';
import { slack } from '../../src/messages/slack.js';
import { visibleText } from '../support/slack/blocks.js';
import type { FakeMessage } from '../support/slack/fake-slack.js';
import { SUPPORT_CHANNEL, toldSince, useSlackHarness } from '../support/slack/harness.js';
import type { SlackResponse } from '../support/slack/signer.js';
import type { SlackPerson } from '../support/slack/workspace.js';
import { nextLinkedPerson } from '../support/slack/people.js';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.js';
import { SmsCapture } from '../support/sms-capture.js';

/**
 * A Redis that hangs (SIGSTOP: connections open, nothing answers) rather than refusing
 * connections: every check waits for the command timeout, after Slack's window closed. Each
 * entry point must still be acked in time and then tell the person, wherever it can.
 */
const AGENT = 'U0HANGAGENT';

// A private server: pausing the run's shared one would stall every other suite.
let server: RedisServerHandle;
afterAll(async () => {
  await server?.dispose();
});
let sms: SmsCapture;
afterAll(async () => {
  await sms?.close();
});
const harness = useSlackHarness(async () => {
  server = await startRedisServer();
  sms = await SmsCapture.start();
  return {
    env: {
      REDIS_URL: server.url,
      SUPPORT_USER_IDS: AGENT,
      SMS_WEBHOOK_URL: sms.url,
      SMS_WEBHOOK_SECRET: sms.secret,
    },
  };
});

describe('while Redis hangs', () => {
  it('every entry point is acked within the window and then says "temporarily unavailable"', async () => {
    const h = harness();
    const person = await nextLinkedPerson(h, 'HANG');
    const agent = h.workspace.person({ id: AGENT, email: 'agent@example.com' });
    await person.say('change my mobile');
    const flowMessage: FakeMessage = person.latestDm();

    const entries: { name: string; who: SlackPerson; run: () => Promise<SlackResponse> }[] = [
      ...['info', 'mobile', 'help'].map((word) => ({
        name: `/account ${word}`,
        who: person,
        run: () => person.command(word),
      })),
      {
        name: '/account info in a channel',
        who: person,
        run: () => person.command('info', { channel: 'C0HANG' }),
      },
      {
        name: '/account lookup',
        who: agent,
        run: () => agent.command(`lookup <@${person.id}>`, { channel: SUPPORT_CHANNEL }),
      },
      { name: 'DM phrase', who: person, run: () => person.say('change my email') },
      { name: 'Home tab', who: person, run: () => person.openHome() },
      { name: 'channel mention', who: person, run: () => person.mention('C0HANG', 'reset my password') },
      {
        name: 'channel mention asking to start a flow',
        who: person,
        run: () => person.mention('C0HANG', 'change my contact email'),
      },
      {
        name: 'button on the flow message',
        who: person,
        run: () => person.click(slack.buttons.cancel, flowMessage),
      },
    ];
    server.pause();
    try {
      for (const entry of entries) {
        const since = h.fake.calls.length;
        const ack = await entry.run();
        expect(ack.status, entry.name).toBe(200);
        expect(h.workspace.signer.lastAckMs, entry.name).toBeLessThan(3_000);
        expect(toldSince(h, entry.who.id, since, ack), entry.name).toContain(common.temporarilyUnavailable);
      }
    } finally {
      server.resume();
    }
  }, 60_000);

  it('a code typed into its modal stays there with "submit it again in a moment", and goes through once Redis answers', async () => {
    const h = harness();
    const person = await nextLinkedPerson(h, 'HANG');
    await person.say('change my mobile');
    await person.click(slack.buttons.enterValue);
    await person.submit({ 'New contact number': '+86 139 0013 9321' });
    const code = await sms.code('+8613900139321');
    h.scanner.add('code', code);
    await person.click(slack.buttons.enterCode);
    const modal = person.modal();

    server.pause();
    let hung: SlackResponse;
    try {
      hung = await person.submit({ [slack.modal.codeLabel]: code });
    } finally {
      server.resume();
    }
    expect(hung.status).toBe(200);
    expect(h.workspace.signer.lastAckMs).toBeLessThan(3_000);
    expect(hung.json?.response_action).toBe('errors');
    expect(Object.values(hung.json?.errors ?? {})).toEqual([slack.modal.submitAgain]);
    // Still open once the store's answer came late, saying so, with a new hash: submitting the
    // same code again is not taken for a replay of the first try.
    expect(person.modal().id).toBe(modal.id);
    expect(person.modal().hash).not.toBe(modal.hash);
    expect(visibleText(person.modal().view.blocks)).toContain(slack.modal.submitAgain);

    const again = await person.submit({ [slack.modal.codeLabel]: code });
    expect(again.json?.response_action).toBeUndefined();
    expect(person.hasModal()).toBe(false);
    const account = await h.application.stores.directory.getBySlackUser(h.fake.teamId, person.id);
    expect(account?.contactNumber).toBe('+8613900139321');
  }, 30_000);
});
