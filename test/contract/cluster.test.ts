import { afterAll, beforeAll } from 'vitest';
import type { RedisClient } from '../../src/adapters/redis/connection.js';
import type { RedisTopology } from '../../src/config/redis.js';
import { RedisAccountDirectory } from '../../src/adapters/redis/account-directory.js';
import { RedisAuditLog } from '../../src/adapters/redis/audit-log.js';
import { RedisCodeStore } from '../../src/adapters/redis/code-store.js';
import { RedisDedupe } from '../../src/adapters/redis/dedupe.js';
import { RedisEngineScratch } from '../../src/adapters/redis/engine-scratch.js';
import { RedisFlowMessages } from '../../src/adapters/redis/flow-messages.js';
import { RedisFlowSessionStore } from '../../src/adapters/redis/flow-session-store.js';
import { RedisJobQueue } from '../../src/adapters/redis/job-queue.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { RedisLinkTokenStore } from '../../src/adapters/redis/link-token-store.js';
import { RedisRateLimiter } from '../../src/adapters/redis/rate-limiter.js';
import { RedisReviewCards } from '../../src/adapters/redis/review-cards.js';
import { ManualClock } from '../../src/core/clock.js';
import { connectSharedCluster, sharedClusterTopology, uniquePrefix } from '../support/redis.js';
import { describeAccountDirectoryContract } from './account-directory.contract.js';
import { describeAuditLogContract } from './audit-log.contract.js';
import { describeCodeStoreContract } from './code-store.contract.js';
import { describeDedupeContract } from './dedupe.contract.js';
import { describeEngineScratchContract } from './engine-scratch.contract.js';
import { describeFlowMessagesContract } from './flow-messages.contract.js';
import { CONTRACT_IDLE_MS, describeFlowSessionStoreContract } from './flow-session-store.contract.js';
import { describeJobQueueContract } from './job-queue.contract.js';
import { describeLinkTokenStoreContract } from './link-token-store.contract.js';
import { describeRateLimiterContract } from './rate-limiter.contract.js';
import { describeReviewCardsContract } from './review-cards.contract.js';

/**
 * Every port contract again, on a real 3-master Redis Cluster through the same fail-fast
 * client the app builds for REDIS_CLUSTER_NODES. A script or multi-key command whose keys
 * span two slots fails here with CROSSSLOT; one test prefix spreads its keys over all nodes.
 */
let cluster: RedisClient;
let topology: RedisTopology;
beforeAll(async () => {
  cluster = await connectSharedCluster();
  topology = await sharedClusterTopology();
});
afterAll(async () => {
  await cluster.quit();
});

const keys = (label: string) => new RedisKeys(uniquePrefix(label));

describeAccountDirectoryContract('redis cluster', async () => {
  const clock = new ManualClock();
  const prefixed = keys('cad');
  return {
    directory: new RedisAccountDirectory(cluster, prefixed, clock),
    clock,
    corrupt: async (accountId) => {
      await cluster.set(prefixed.account(accountId, 'account'), '{"account":{"accountId":');
    },
  };
});

describeAuditLogContract('redis cluster', async (options) => {
  const clock = new ManualClock();
  return { audit: new RedisAuditLog(cluster, keys('cau'), clock, options), clock };
});

describeCodeStoreContract('redis cluster', async (rules) => {
  const clock = new ManualClock();
  return { store: new RedisCodeStore(cluster, keys('coc'), clock, rules), clock };
});

describeDedupeContract('redis cluster', async () => {
  const clock = new ManualClock();
  return { dedupe: new RedisDedupe(cluster, keys('cdd'), clock), clock };
});

describeEngineScratchContract('redis cluster', async () => {
  const clock = new ManualClock();
  return { scratch: new RedisEngineScratch(cluster, keys('ces'), clock), clock };
});

describeFlowSessionStoreContract('redis cluster', async () => {
  const clock = new ManualClock();
  return {
    store: new RedisFlowSessionStore(cluster, keys('cfs'), clock, { idleTimeoutMs: CONTRACT_IDLE_MS }),
    clock,
  };
});

describeLinkTokenStoreContract('redis cluster', async () => {
  const clock = new ManualClock();
  return { store: new RedisLinkTokenStore(cluster, keys('clt'), clock), clock };
});

describeRateLimiterContract('redis cluster', async () => {
  const clock = new ManualClock();
  return { limiter: new RedisRateLimiter(cluster, keys('crl'), clock), clock };
});

describeReviewCardsContract('redis cluster', async () => new RedisReviewCards(cluster, keys('crc')));

describeFlowMessagesContract('redis cluster', async () => new RedisFlowMessages(cluster, keys('cfm')));

describeJobQueueContract(
  'redis cluster',
  async (settings, clock) => new RedisJobQueue({ topology, keyPrefix: uniquePrefix('cjq'), clock, settings }),
);
