import type { AppConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { AuditLogOptions } from '../ports/audit-log.js';
import { finishesWithin } from '../core/deadline.js';
import { MemoryAccountDirectory } from '../adapters/memory/account-directory.js';
import { MemoryAuditLog } from '../adapters/memory/audit-log.js';
import { MemoryCodeStore } from '../adapters/memory/code-store.js';
import { MemoryDedupe } from '../adapters/memory/dedupe.js';
import { MemoryEngineScratch } from '../adapters/memory/engine-scratch.js';
import { MemoryFlowMessages } from '../adapters/memory/flow-messages.js';
import { MemoryFlowSessionStore } from '../adapters/memory/flow-session-store.js';
import { MemoryLinkTokenStore } from '../adapters/memory/link-token-store.js';
import { MemoryRateLimiter } from '../adapters/memory/rate-limiter.js';
import { MemoryReviewCards } from '../adapters/memory/review-cards.js';
import { RedisAccountDirectory } from '../adapters/redis/account-directory.js';
import { RedisAuditLog } from '../adapters/redis/audit-log.js';
import { RedisCodeStore } from '../adapters/redis/code-store.js';
import { createRedisClient, type RedisClient } from '../adapters/redis/connection.js';
import { RedisDedupe } from '../adapters/redis/dedupe.js';
import { RedisEngineScratch } from '../adapters/redis/engine-scratch.js';
import { RedisFlowMessages } from '../adapters/redis/flow-messages.js';
import { SameTickReads } from '../adapters/redis/same-tick-reads.js';
import { FLOW_MESSAGE_TTL_MS } from '../ports/flow-messages.js';
import { RedisFlowSessionStore } from '../adapters/redis/flow-session-store.js';
import { RedisKeys } from '../adapters/redis/keys.js';
import { RedisLinkTokenStore } from '../adapters/redis/link-token-store.js';
import { RedisRateLimiter } from '../adapters/redis/rate-limiter.js';
import { RedisReviewCards } from '../adapters/redis/review-cards.js';
import { LdapAccountDirectory } from '../adapters/ldap/account-directory.js';
import { LdapConnections } from '../adapters/ldap/connections.js';
import { LdapPasswords } from '../adapters/ldap/passwords.js';
import { PasswordPolicies } from '../adapters/ldap/password-policies.js';
import { LocalDirectoryDocumentStore } from '../adapters/documents/local-directory-store.js';
import { S3DocumentStore } from '../adapters/documents/s3-store.js';
import { checkEvictionPolicy, connectAtStartup } from '../adapters/redis/startup.js';
import { storesReady } from './readiness.js';
import type { AccountDirectory, AccountListing } from '../ports/account-directory.js';
import type { DirectoryPasswords } from '../ports/directory-passwords.js';
import type { DocumentStore } from '../ports/document-store.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { CodeStore } from '../ports/code-store.js';
import type { Dedupe } from '../ports/dedupe.js';
import type { EngineScratch } from '../ports/engine-scratch.js';
import type { FlowMessages } from '../ports/flow-messages.js';
import type { FlowSessionStore } from '../ports/flow-session-store.js';
import type { LinkTokenStore } from '../ports/link-token-store.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { ReviewCards } from '../ports/review-cards.js';
import { StartupError } from '../core/errors.js';
import { startup } from '../messages/startup.js';

/** Shutdown gives the store connection this long to say goodbye before cutting it. */
const QUIT_WITHIN_MS = 1_000;

export interface Stores {
  kind: 'redis' | 'memory';
  directory: AccountDirectory;
  /** Every embedded account (`npm run accounts -- export`); absent when accounts live in LDAP. */
  accountListing?: AccountListing;
  codes: CodeStore;
  linkTokens: LinkTokenStore;
  flowSessions: FlowSessionStore;
  rateLimiter: RateLimiter;
  dedupe: Dedupe;
  audit: AuditLog;
  /** The engine's short-lived values beside its envelopes (effect results, privileged windows). */
  scratch: EngineScratch;
  /** Where each flow's Slack DM message is. */
  flowMessages: FlowMessages;
  /** The reviewers' cards in the review channel. */
  reviewCards: ReviewCards;
  /** Identity document images (sealed); a local directory or an S3-compatible bucket. */
  documentStore: DocumentStore;
  /** Passwords the directory keeps and checks (DIRECTORY=ldap); null when the product hashes them. */
  directoryPasswords: DirectoryPasswords | null;
  /** The fail-fast connection (tests and benchmarks look at it); null in-process. */
  redis: RedisClient | null;
  /** Whether Redis and, with DIRECTORY=ldap, the directory answer (`/readyz`). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Every store on one fail-fast connection to the configured topology (one node, Sentinel or
 * Cluster), or all in-process when none is set;
 * with DIRECTORY=ldap the accounts come from the directory and the embedded store keeps only
 * what the product alone knows about them. An unreachable Redis, or one that evicts keys in
 * production, stops start-up with a StartupError. `logger` hears about an evicting Redis
 * outside production and about store records that cannot be read and were skipped.
 */
export async function buildStores(config: AppConfig, clock: Clock, logger?: Logger): Promise<Stores> {
  const embedded = await buildEmbeddedStores(config, clock, logger);
  if (config.directory.kind === 'embedded') return embedded;
  const connections = new LdapConnections(config.directory);
  const directory = new LdapAccountDirectory(connections, embedded.directory, config.directory, clock);
  return {
    ...embedded,
    directory,
    accountListing: undefined,
    directoryPasswords: new LdapPasswords(
      connections,
      directory,
      config.directory.mode,
      new PasswordPolicies(connections, config.directory.mode, config.directory.passwordPolicyDn, clock),
    ),
    ready: storesReady(embedded.redis, connections),
    close: async () => {
      await connections.close();
      await embedded.close();
    },
  };
}

/**
 * The product's own store on the configured Redis or in-process, whatever DIRECTORY says:
 * `npm run seed` fills this one even when the app reads accounts from LDAP.
 */
async function buildEmbeddedStores(config: AppConfig, clock: Clock, logger?: Logger): Promise<Stores> {
  const timing = { idleTimeoutMs: config.flows.idleTimeoutMs };
  const audit: AuditLogOptions = {
    maxLength: config.audit.streamMaxLength,
    accountMaxLength: config.audit.accountStreamMaxLength,
    accountTtlMs: config.audit.accountStreamTtlMs,
    onCorrupt: (entryId, problem) => logger?.warn({ entryId, problem }, 'unreadable audit entry skipped'),
  };
  const documentStore = await buildDocumentStore(config);
  if (config.redis.topology === null) {
    const directory = new MemoryAccountDirectory(clock);
    return {
      kind: 'memory',
      directory,
      accountListing: directory,
      codes: new MemoryCodeStore(clock, config.codes),
      linkTokens: new MemoryLinkTokenStore(clock),
      flowSessions: new MemoryFlowSessionStore(clock, timing),
      rateLimiter: new MemoryRateLimiter(clock),
      dedupe: new MemoryDedupe(clock),
      audit: new MemoryAuditLog(clock, audit),
      scratch: new MemoryEngineScratch(clock),
      flowMessages: new MemoryFlowMessages(clock),
      reviewCards: new MemoryReviewCards(clock),
      documentStore,
      directoryPasswords: null,
      redis: null,
      ready: storesReady(null),
      close: () => documentStore.close(),
    };
  }
  const redis = createRedisClient(config.redis.topology, 'fail-fast');
  await connectAtStartup(redis, config.redis.topology);
  try {
    const warning = await checkEvictionPolicy(redis, config.redis.topology, config.env);
    if (warning) logger?.warn(warning);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const keys = new RedisKeys(config.redis.keyPrefix);
  const directory = new RedisAccountDirectory(redis, keys, clock);
  // One step reads its flow's record for the engine and for its Slack message at once.
  const flowReads = new SameTickReads(redis);
  return {
    kind: 'redis',
    directory,
    accountListing: directory,
    codes: new RedisCodeStore(redis, keys, clock, config.codes),
    linkTokens: new RedisLinkTokenStore(redis, keys, clock),
    flowSessions: new RedisFlowSessionStore(redis, keys, clock, timing, flowReads),
    rateLimiter: new RedisRateLimiter(redis, keys, clock),
    dedupe: new RedisDedupe(redis, keys, clock),
    audit: new RedisAuditLog(redis, keys, clock, audit),
    scratch: new RedisEngineScratch(redis, keys, clock),
    flowMessages: new RedisFlowMessages(redis, keys, FLOW_MESSAGE_TTL_MS, flowReads),
    reviewCards: new RedisReviewCards(redis, keys),
    documentStore,
    directoryPasswords: null,
    redis,
    ready: storesReady(redis),
    close: async () => {
      await documentStore.close();
      // QUIT waits for the replies still owed; a server that stopped answering owes them forever.
      const quit = redis.quit().catch(() => redis.disconnect());
      if (!(await finishesWithin(quit, QUIT_WITHIN_MS))) redis.disconnect();
    },
  };
}

async function buildDocumentStore(config: AppConfig): Promise<DocumentStore> {
  const { store } = config.documents;
  if (store.kind === 's3') return new S3DocumentStore(store);
  const local = new LocalDirectoryDocumentStore(store.path);
  try {
    await local.checkWritable();
  } catch (error) {
    const why = error instanceof Error && 'code' in error ? String(error.code) : 'unwritable';
    throw new StartupError(startup.documentDirectoryUnwritable(store.path, why));
  }
  return local;
}
