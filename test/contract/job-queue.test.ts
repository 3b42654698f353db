import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { MemoryJobQueue } from '../../src/adapters/memory/job-queue.js';
import { nodeTopology } from '../../src/adapters/redis/connection.js';
import { RedisJobQueue } from '../../src/adapters/redis/job-queue.js';
import { connectShared, sharedRedisUrl, uniquePrefix } from '../support/redis.js';
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
