import { afterAll, describe, expect, it } from 'vitest';
import { common } from '../../src/messages/common.js';
import { RedisFaultProxy } from '../support/redis-fault-proxy.js';
import { sharedRedisUrl } from '../support/redis.js';
import { useSlackHarness } from '../support/slack/harness.js';
import { nextLinkedPerson } from '../support/slack/people.js';

/**
 * Redis up but refusing work for a while, each with the reply real Redis sends: out of memory
 * under noeviction, writes stopped after a failed snapshot, a long script running, too few
 * replicas for min-replicas-to-write. Each is an outage to the person, not our bug.
 */
const REFUSALS = [
  "OOM command not allowed when used memory > 'maxmemory'.",
  'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.',
  'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
  'NOREPLICAS Not enough good replicas to write.',
];

let proxy: RedisFaultProxy;
const harness = useSlackHarness(async () => {
  proxy = await RedisFaultProxy.start(sharedRedisUrl());
  return { env: { REDIS_URL: proxy.url } };
});
afterAll(async () => {
  await proxy.close();
});

describe('Redis refusing writes for a while', () => {
  for (const reply of REFUSALS) {
    it(`(${reply.split(' ')[0]}) is "temporarily unavailable" to the person, and the next try works`, async () => {
      const h = harness();
      const person = await nextLinkedPerson(h, 'REFUSED');
      const refused = proxy.refuseNext((command) => command[0]?.toLowerCase() !== 'ping', reply);
      await person.say('change my mobile');
      await refused;

      expect(person.latestDm().text).toBe(common.temporarilyUnavailable);
      await person.say('change my mobile');
      expect(person.latestDm().text).not.toBe(common.temporarilyUnavailable);
    });
  }
});
