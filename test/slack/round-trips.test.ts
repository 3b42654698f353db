import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { slack } from '../../src/messages/slack.js';
import { hasButton } from '../support/slack/blocks.js';
import { roundTripCounter } from '../support/redis-round-trips.js';
import { useSlackHarness } from '../support/slack/harness.js';
import { linkedPerson } from '../support/slack/people.js';
import type { FakeMessage } from '../support/slack/fake-slack.js';

const harness = useSlackHarness({});

/**
 * The app's round trips to Redis on its own connection (the job workers have theirs), up to
 * the point the workspace has settled.
 */
function roundTripCounterOf(redis: Redis) {
  const counter = roundTripCounter(redis);
  return {
    async during(work: () => Promise<unknown>): Promise<number> {
      await counter.during(async () => {
        await work();
        await harness().workspace.settle();
      });
      return counter.count();
    },
    /** Commands sent during the last `during`. */
    commands: counter.commands,
  };
}

/**
 * A linked person whose mobile change waits for its code, and the flow's message. The flow is
 * opened and cancelled once first: scripts loaded, caches warm.
 */
async function atCodeStep(userId: string) {
  const h = harness();
  const { person } = await linkedPerson(h, userId, {
    loginEmail: `${userId.toLowerCase()}@example.com`,
    accountName: `Trips ${userId}`,
  });
  await person.say('change my mobile');
  await person.click(slack.buttons.cancel);
  await person.say('change my mobile');
  await person.click(slack.buttons.enterValue);
  await person.submit({ 'New contact number': '+447911123456' });
  await h.workspace.settle();
  const [message] = person.dmMessages().slice(-1);
  if (!message || !hasButton(message.blocks, slack.buttons.editAgain)) throw new Error('no code step');
  return { person, message };
}

describe('Redis round trips of a flow step, through the real Bolt endpoint', () => {
  it('two for a step that moves the flow, three for one that finishes it, one when nothing changes', async () => {
    const h = harness();
    const redis = h.application.stores.redis as Redis;
    const counter = roundTripCounterOf(redis);
    const { person, message } = await atCodeStep('U0TRIPS1');
    const stale: FakeMessage = structuredClone(message);

    const moved = await counter.during(() => person.click(slack.buttons.editAgain, message));
    // The old message's button once more: the flow already left that step and ignores it.
    const ignored = await counter.during(() => person.click(slack.buttons.editAgain, stale));
    const latest = person.dmMessages().find((shown) => shown.ts === message.ts);
    if (!latest) throw new Error('the flow message is gone');
    const beforeCancel: FakeMessage = structuredClone(latest);
    const finished = await counter.during(() => person.click(slack.buttons.cancel, latest));
    // The delivery claim, one read of the flow's record (for the flow and its message), the
    // finishing write and its audit entry.
    expect(counter.commands()).toBe(4);
    const late = await counter.during(() => person.click(slack.buttons.cancel, beforeCancel));
    console.log(
      `Redis round trips per step: moves ${moved}, changes nothing ${ignored}, finishes ${finished}, late duplicate ${late}`,
    );
    // The delivery claim rides with the flow's read; the finishing write marks the message ended.
    expect({ moved, ignored, finished, late }).toEqual({ moved: 2, ignored: 1, finished: 3, late: 1 });
  });

  it('a code submission reads its flow, its message and claims its delivery in one round trip', async () => {
    const h = harness();
    const counter = roundTripCounterOf(h.application.stores.redis as Redis);
    const { person, message } = await atCodeStep('U0TRIPS3');
    const wrongCode = async () => {
      await person.click(slack.buttons.enterCode, message);
      await person.submit({ Code: '000000' });
    };
    await wrongCode();
    await person.click(slack.buttons.enterCode, message);
    // Another wrong code: the same one again would reuse the first one's check.
    const trips = await counter.during(() => person.submit({ Code: '111111' }));
    console.log(`Redis round trips of a wrong code: ${trips}`);
    // The code check's own effects (hold, verify, audit) are the rest; 12 before the claim and the message read joined the flow read.
    expect(trips).toBeLessThanOrEqual(10);
    // Still waiting for the right code.
    expect(hasButton(person.dmMessages().at(-1)?.blocks, slack.buttons.enterCode)).toBe(true);
  });

  it('runs a click replayed byte for byte once and answers the replay with nothing', async () => {
    const h = harness();
    const { person, message } = await atCodeStep('U0TRIPS2');
    const owner = `slack:${h.fake.teamId}:U0TRIPS2`;
    const flowId = await h.application.stores.flowSessions.active(owner);
    if (flowId === null) throw new Error('no open flow');
    const revOf = async () => {
      const read = await h.application.stores.flowSessions.get(owner, flowId);
      return read.status === 'found' ? read.envelope.rev : read.status;
    };
    const before = await revOf();

    const signer = h.workspace.signer;
    const post = signer.interaction.bind(signer);
    const sent: Record<string, unknown>[] = [];
    signer.interaction = (payload, options) => {
      sent.push(payload);
      return post(payload, options);
    };
    try {
      await person.click(slack.buttons.editAgain, message);
    } finally {
      signer.interaction = post;
    }
    const [payload] = sent;
    if (!payload) throw new Error('the click was not sent');
    expect(await revOf()).toBe(Number(before) + 1);
    const answered = h.fake.callsOf('chat.update').length + h.fake.callsOf('chat.postMessage').length;

    const replay = await post(payload, { retryNum: 1 });
    await h.workspace.settle();
    expect(replay.status).toBe(200);
    expect(await revOf()).toBe(Number(before) + 1);
    expect(h.fake.callsOf('chat.update').length + h.fake.callsOf('chat.postMessage').length).toBe(answered);
  });
});
