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
import { uniquePrefix } from '../support/redis.js';
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

/** Where the Redis adapters under contract connect; read when a suite's fixture is made. */
export interface RedisUnderContract {
  client(): RedisClient;
  /** The topology BullMQ connects to itself; without it the job queue's contract is left out. */
  topology?: () => RedisTopology;
}

/**
 * Every port contract of the Redis adapters, on whichever Redis `target` reaches. Each suite
 * has its own key prefix, so on a cluster their keys spread over every node.
 */
export function describeRedisContracts(label: string, target: RedisUnderContract): void {
  const keys = (name: string) => new RedisKeys(uniquePrefix(name));

  describeAccountDirectoryContract(label, async () => {
    const clock = new ManualClock();
    const prefixed = keys('cad');
    const redis = target.client();
    return {
      directory: new RedisAccountDirectory(redis, prefixed, clock),
      clock,
      corrupt: async (accountId) => {
        await redis.set(prefixed.account(accountId, 'account'), '{"account":{"accountId":');
      },
    };
  });

  describeAuditLogContract(label, async (options) => {
    const clock = new ManualClock();
    return { audit: new RedisAuditLog(target.client(), keys('cau'), clock, options), clock };
  });

  describeCodeStoreContract(label, async (rules) => {
    const clock = new ManualClock();
    return { store: new RedisCodeStore(target.client(), keys('coc'), clock, rules), clock };
  });

  describeDedupeContract(label, async () => {
    const clock = new ManualClock();
    return { dedupe: new RedisDedupe(target.client(), keys('cdd'), clock), clock };
  });

  describeEngineScratchContract(label, async () => {
    const clock = new ManualClock();
    return { scratch: new RedisEngineScratch(target.client(), keys('ces'), clock), clock };
  });

  describeFlowSessionStoreContract(label, async () => {
    const clock = new ManualClock();
    const timing = { idleTimeoutMs: CONTRACT_IDLE_MS };
    return { store: new RedisFlowSessionStore(target.client(), keys('cfs'), clock, timing), clock };
  });

  describeLinkTokenStoreContract(label, async () => {
    const clock = new ManualClock();
    return { store: new RedisLinkTokenStore(target.client(), keys('clt'), clock), clock };
  });

  describeRateLimiterContract(label, async () => {
    const clock = new ManualClock();
    return { limiter: new RedisRateLimiter(target.client(), keys('crl'), clock), clock };
  });

  describeReviewCardsContract(label, async () => new RedisReviewCards(target.client(), keys('crc')));

  describeFlowMessagesContract(label, async () => new RedisFlowMessages(target.client(), keys('cfm')));

  const { topology } = target;
  if (topology === undefined) return;
  describeJobQueueContract(
    label,
    async (settings, clock) =>
      new RedisJobQueue({ topology: topology(), keyPrefix: uniquePrefix('cjq'), clock, settings }),
  );
}
