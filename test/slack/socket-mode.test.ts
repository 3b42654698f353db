import { describe, expect, it } from 'vitest';
import { slack } from '../../src/messages/slack.js';
import { useSlackHarness } from '../support/slack/harness.js';
import { StubEngine } from '../support/slack/stub-engine.js';

const engine = new StubEngine();
const harness = useSlackHarness({ engine: () => engine, mode: 'socket' });

describe('Socket Mode', () => {
  it('connects over the loopback WebSocket, acks envelopes and answers through the Web API', async () => {
    const h = harness();
    await h.fake.waitForSocket();
    expect(h.fake.callsOf('apps.connections.open')[0]?.token).toBe(h.fake.appToken);
    const person = h.workspace.person({ id: 'U0SOCKET' });

    const commandAck = await h.fake.push('slash_commands', {
      team_id: h.fake.teamId,
      user_id: person.id,
      command: '/account',
      text: 'help',
      channel_id: person.dmChannel,
      trigger_id: h.fake.issueTrigger(person.id),
    });
    const eventAck = await h.fake.push('events_api', {
      ...h.workspace.eventEnvelope({
        type: 'message',
        channel_type: 'im',
        channel: person.dmChannel,
        user: person.id,
        text: 'help',
        ts: '1.000001',
      }),
    });
    await h.runtime.idle();

    expect(commandAck.envelope_id).toBeTruthy();
    expect(eventAck.envelope_id).toBeTruthy();
    expect(person.dmMessages().map((message) => message.text)).toEqual([slack.help.title, slack.help.title]);
  });

  it('acks a malformed payload at once so Slack does not redeliver it, and no listener runs', async () => {
    const h = harness();
    await h.fake.waitForSocket();
    const person = h.workspace.person({ id: 'U0SOCKETBAD' });
    const before = engine.calls.length;
    const ack = await h.fake.push(
      'interactive',
      { type: 'view_submission', team: { id: h.fake.teamId }, user: { id: person.id } },
      1_000,
    );
    await h.runtime.idle();
    expect(ack.envelope_id).toBeTruthy();
    expect(engine.calls.length).toBe(before);
  });
});
