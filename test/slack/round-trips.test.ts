import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { slack } from '../../src/messages/slack.js';
import { hasButton } from '../support/slack/blocks.js';
import { useSlackHarness } from '../support/slack/harness.js';
import { linkedPerson } from '../support/slack/people.js';
import type { FakeMessage } from '../support/slack/fake-slack.js';

const harness = useSlackHarness({});

/**
 * Counts the app's round trips to Redis on its own connection (the job workers have
 * theirs): a command sent while none is waiting for its answer starts one; commands sent
 * while others wait ride along with them, as a pipeline does.
 */
function roundTripCounter(redis: Redis) {
  let waiting = 0;
  let trips = 0;
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command, stream) => {
    if (waiting === 0) trips += 1;
    waiting += 1;
    const answered = () => {
      waiting -= 1;
    };
    command.promise.then(answered, answered);
    return send(command, stream);
  }) as typeof redis.sendCommand;
  return {
    async during(work: () => Promise<unknown>): Promise<number> {
      trips = 0;
      await work();
      await harness().workspace.settle();
      return trips;
    },
  };
}

describe('Redis round trips of a flow step, through the real Bolt endpoint', () => {
  it('three for a step that moves the flow, two when nothing changes', async () => {
    const h = harness();
    const redis = h.application.stores.redis as Redis;
    const counter = roundTripCounter(redis);
    const { person } = await linkedPerson(h, 'U0TRIPS1', {
      loginEmail: 'trips1@example.com',
      accountName: 'Trips One',
    });
    // Once through first: scripts loaded, caches warm.
    await person.say('change my mobile');
    await person.click(slack.buttons.cancel);
    await person.say('change my mobile');
    await person.click(slack.buttons.enterValue);
    await person.submit({ 'New contact number': '+447911123456' });
    await h.workspace.settle();
    const [message] = person.dmMessages().slice(-1);
    if (!message || !hasButton(message.blocks, slack.buttons.editAgain)) throw new Error('no code step');
    const stale: FakeMessage = structuredClone(message);

    const moved = await counter.during(() => person.click(slack.buttons.editAgain, message));
    // The old message's button once more: the flow already left that step and ignores it.
    const ignored = await counter.during(() => person.click(slack.buttons.editAgain, stale));
    const latest = person.dmMessages().find((shown) => shown.ts === message.ts);
    if (!latest) throw new Error('the flow message is gone');
    const beforeCancel: FakeMessage = structuredClone(latest);
    const finished = await counter.during(() => person.click(slack.buttons.cancel, latest));
    const late = await counter.during(() => person.click(slack.buttons.cancel, beforeCancel));
    console.log(
      `Redis round trips per step: moves ${moved}, changes nothing ${ignored}, finishes ${finished}, late duplicate ${late}`,
    );
    expect({ moved, ignored, late }).toEqual({ moved: 3, ignored: 2, late: 2 });
    expect(finished).toBeLessThanOrEqual(5);
  });
});
