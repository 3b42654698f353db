import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryJobQueue } from '../../src/adapters/memory/job-queue.js';
import { nodeTopology } from '../../src/adapters/redis/connection.js';
import { RedisJobQueue } from '../../src/adapters/redis/job-queue.js';
import { systemClock } from '../../src/core/clock.js';
import { eventually, sleep } from '../notifications/eventually.js';
import { connectShared, keysUnder, sharedRedisUrl, uniquePrefix } from '../support/redis.js';
import { describeJobQueueContract } from './job-queue.contract.js';

describeJobQueueContract('memory', async (settings, clock) => new MemoryJobQueue(clock, settings));

let redis: Redis;
beforeAll(async () => {
  redis = await connectShared();
});
afterAll(async () => {
  await redis.quit();
});

describeJobQueueContract(
  'redis',
  async (settings, clock) =>
    new RedisJobQueue({
      topology: nodeTopology(sharedRedisUrl()),
      keyPrefix: uniquePrefix('jq'),
      clock,
      settings,
    }),
);

describe('RedisJobQueue on real Redis', () => {
  const settings = {
    attempts: 3,
    backoffMs: 50,
    dedupeMs: 3_600_000,
    failedRetentionMs: 3_600_000,
    concurrency: 2,
  };
  const realQueue = () => {
    const keyPrefix = uniquePrefix('jq');
    const topology = nodeTopology(sharedRedisUrl());
    return { keyPrefix, queue: new RedisJobQueue({ topology, keyPrefix, clock: systemClock, settings }) };
  };

  it('removes a completed job and keeps only a small done key, so a retry after completion sends once', async () => {
    const { keyPrefix, queue } = realQueue();
    const sent: string[] = [];
    queue.register('mail', async (job) => {
      sent.push(String(job.payload));
    });
    try {
      await queue.start();
      await queue.enqueue({ id: 'flow-9:code:1', kind: 'mail', payload: 'sealed' });
      await eventually(async () => (await queue.status('flow-9:code:1')).state === 'completed');
      const jobKeys = async () =>
        (await keysUnder(redis, keyPrefix)).filter((key) => /:\{jobs\}:j_/.test(key));
      expect(await jobKeys()).toEqual([]);
      const [done] = (await keysUnder(redis, keyPrefix)).filter((key) => key.includes(':done:'));
      expect(done).toBeDefined();
      expect(await redis.pttl(done ?? '')).toBeGreaterThan(settings.dedupeMs - 60_000);
      expect((await redis.memory('USAGE', done ?? '', 'SAMPLES', 0)) ?? Infinity).toBeLessThan(150);

      // The same event again (a retried step, a second process): queued, run, nothing sent.
      await queue.enqueue({ id: 'flow-9:code:1', kind: 'mail', payload: 'sealed again' });
      await eventually(async () => (await jobKeys()).length === 0);
      await sleep(100);
      expect(sent).toEqual(['sealed']);
      expect(await queue.status('flow-9:code:1')).toEqual({ state: 'completed', attemptsMade: 1 });
    } finally {
      await queue.close();
    }
  });

  it('keeps the done key of a long job id as small as a short one', async () => {
    const { keyPrefix, queue } = realQueue();
    queue.register('sms', async () => undefined);
    // What a step-up's code send is called: flow, the child machines' scope and the step.
    const id = 'VCRl_aA4LpdVX6uU:changeSecurityMobile/stepUp/codeChallenge:sendCode#1795816764103.1';
    try {
      await queue.start();
      await queue.enqueue({ id, kind: 'sms', payload: 'sealed' });
      await eventually(async () => (await queue.status(id)).state === 'completed');
      const [done] = (await keysUnder(redis, keyPrefix)).filter((key) => key.includes(':done:'));
      expect((await redis.memory('USAGE', done ?? '', 'SAMPLES', 0)) ?? Infinity).toBeLessThan(150);
    } finally {
      await queue.close();
    }
  });
});
