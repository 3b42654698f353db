import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisAccess, RedisTopology } from '../../config/redis.js';
import { TemporarilyUnavailableError } from '../../core/errors.js';
import { redisTlsOptions } from './tls.js';

/** A client for whichever topology the app runs on; both speak the same commands. */
export type RedisClient = Redis | Cluster;

/**
 * What a connection is for. `fail-fast` (security paths): no offline queue and no retries,
 * so an outage or a failover surfaces at once as TemporarilyUnavailableError instead of
 * queueing checks that would run later (or twice). `queue-producer` and `queue-worker`
 * (BullMQ): `maxRetriesPerRequest: null` as BullMQ requires; the worker also keeps an
 * offline queue so it rides out a restart, the producer refuses at once.
 */
export type RedisRole = 'fail-fast' | 'queue-producer' | 'queue-worker';

const RECONNECT = (attempt: number) => Math.min(attempt * 200, 2_000);

const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  'fail-fast': {
    // Commands issued in the same tick (by one request or many) leave in one write.
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
  },
  'queue-producer': { enableOfflineQueue: false, maxRetriesPerRequest: null, connectTimeout: 2_000 },
  'queue-worker': { enableOfflineQueue: true, maxRetriesPerRequest: null },
};

/**
 * A demoted primary answers writes with READONLY: drop that connection so the next
 * command finds the promoted one. `true` reconnects without re-sending the command.
 */
const reconnectOnReadOnly = (error: Error) => error.message.startsWith('READONLY');

/** The one place a Redis connection is made, for every store, limiter, stream, dedupe and queue. */
export function createRedisClient(topology: RedisTopology, role: RedisRole): RedisClient {
  const client = topology.kind === 'cluster' ? clusterClient(topology, role) : singleClient(topology, role);
  // Without a listener ioredis prints every reconnect failure; the typed errors carry the news.
  client.on('error', () => undefined);
  return client;
}

/** One node given by URL, for tools and tests that name a single server. */
export function nodeTopology(url: string): RedisTopology {
  return { kind: 'node', url, access: { username: null, password: null, tls: null } };
}

function accessOptions(access: RedisAccess): RedisOptions {
  return {
    ...(access.username === null ? {} : { username: access.username }),
    ...(access.password === null ? {} : { password: access.password }),
    ...(access.tls === null ? {} : { tls: redisTlsOptions(access.tls) }),
  };
}

function singleClient(topology: Exclude<RedisTopology, { kind: 'cluster' }>, role: RedisRole): Redis {
  const options: RedisOptions = {
    ...ROLE_OPTIONS[role],
    ...accessOptions(topology.access),
    retryStrategy: RECONNECT,
    reconnectOnError: reconnectOnReadOnly,
  };
  if (topology.kind === 'node') return new Redis(topology.url, options);
  return new Redis({
    ...options,
    sentinels: topology.sentinels,
    name: topology.name,
    ...(topology.sentinelPassword === null ? {} : { sentinelPassword: topology.sentinelPassword }),
    ...(options.tls === undefined ? {} : { enableTLSForSentinelMode: true, sentinelTLS: options.tls }),
    // No failover detector: its reconnect can race a connect in progress, and ioredis then
    // ends the client for good (about 1 failover in 4 here). The retry strategy asks the
    // sentinels for the primary on every reconnect, with the same measured gap.
    failoverDetector: false,
    sentinelRetryStrategy: RECONNECT,
  });
}

/**
 * MOVED and ASK mean the node did not run the command, so following them is safe; so do
 * TRYAGAIN and CLUSTERDOWN. The redirections are bounded (8 × 100 ms) so a fail-fast call
 * still answers well inside Slack's 3 seconds; a command that was sent and lost is never
 * re-sent (maxRetriesPerRequest 0), so nothing is applied twice.
 */
function clusterClient(topology: Extract<RedisTopology, { kind: 'cluster' }>, role: RedisRole): Cluster {
  const { enableOfflineQueue, ...redisOptions } = ROLE_OPTIONS[role];
  const options: ClusterOptions = {
    enableOfflineQueue: enableOfflineQueue ?? false,
    maxRedirections: 8,
    retryDelayOnMoved: 0,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 2_000,
    clusterRetryStrategy: RECONNECT,
    redisOptions: {
      ...redisOptions,
      ...accessOptions(topology.access),
      reconnectOnError: reconnectOnReadOnly,
    },
  };
  return new Cluster(topology.nodes, options);
}

/** A fail-fast connection to one node (tools and tests); overrides are for outage tests. */
export function createFailFastRedis(url: string, overrides: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    ...ROLE_OPTIONS['fail-fast'],
    lazyConnect: false,
    retryStrategy: RECONNECT,
    reconnectOnError: reconnectOnReadOnly,
    ...overrides,
  });
  redis.on('error', () => undefined);
  return redis;
}

/** Runs one Redis operation and turns any transport failure into the typed error. */
export async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isTransportError(error)) throw new TemporarilyUnavailableError(operation, { cause: error });
    throw error;
  }
}

const TRANSPORT_FAILURE =
  /Connection is closed|Stream isn't writeable|enableOfflineQueue|Command timed out|Socket timeout|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|max retries|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|Too many Cluster redirections|Cluster isn't ready|Cluster is ended|Failed to refresh slots cache|None of startup nodes|All sentinels are unreachable|^(MOVED|ASK) \d|^(OOM|MISCONF|BUSY|NOREPLICAS) /i;

/**
 * Reply errors from our own scripts (wrong type, bad arguments) are bugs, not outages; a server
 * that refuses work for a while (out of memory under noeviction, writes stopped after a failed
 * snapshot, a long script, too few replicas) is an outage.
 */
function isTransportError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  return TRANSPORT_FAILURE.test(error.message);
}

/** Waits until the connection is ready (start-up and tests). */
export async function waitUntilReady(redis: RedisClient, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TemporarilyUnavailableError('connect')), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
