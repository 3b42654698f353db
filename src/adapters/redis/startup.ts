import { Cluster } from 'ioredis';
import type { RedisTopology } from '../../config/redis.js';
import { StartupError } from '../../core/errors.js';
import type { RedisClient } from './connection.js';

const DEFAULT_PORT = '6379';

/** `host:port` of a Redis URL, never its user name or password, for messages about it. */
export function redisTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || DEFAULT_PORT}`;
  } catch {
    return 'an unreadable address';
  }
}

/** Where the topology points, never a user name or password, for messages about it. */
export function topologyTarget(topology: RedisTopology): string {
  switch (topology.kind) {
    case 'node':
      return redisTarget(topology.url);
    case 'sentinel':
      return `${topology.name} via sentinels ${endpoints(topology.sentinels)}`;
    case 'cluster':
      return `cluster nodes ${endpoints(topology.nodes)}`;
  }
}

/** The variable an operator fixes when this topology cannot be reached. */
function topologyVariable(topology: RedisTopology): string {
  if (topology.kind === 'sentinel') return 'REDIS_SENTINELS';
  if (topology.kind === 'cluster') return 'REDIS_CLUSTER_NODES';
  return 'REDIS_URL';
}

function endpoints(list: { host: string; port: number }[]): string {
  return list.map((node) => `${node.host}:${node.port}`).join(',');
}

/** Error text from the client, with every credential taken out should it ever echo one. */
function scrubbed(text: string, topology: RedisTopology): string {
  const secrets = [topology.access.password ?? '', topology.access.username ?? ''];
  if (topology.kind === 'sentinel') secrets.push(topology.sentinelPassword ?? '');
  if (topology.kind === 'node') {
    try {
      const parsed = new URL(topology.url);
      secrets.push(parsed.password, decodeURIComponent(parsed.password), parsed.username);
    } catch {
      // An unparsable URL was refused by the schema; nothing more to scrub.
    }
  }
  return secrets
    .filter((secret) => secret.length > 0)
    .reduce((clean, secret) => clean.split(secret).join('***'), text);
}

/**
 * Waits for the first connection. When Redis cannot be reached (or refuses the credentials)
 * in time, the connection is dropped and a StartupError says where, why, and which variable
 * to fix (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES); no password ever appears.
 */
export async function connectAtStartup(
  redis: RedisClient,
  topology: RedisTopology,
  timeoutMs = 5_000,
): Promise<void> {
  if (redis.status === 'ready') return;
  let lastError = '';
  const remember = (error: Error) => {
    lastError = error.message;
  };
  redis.on('error', remember);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  } catch {
    redis.disconnect();
    const why = lastError ? ` (${scrubbed(lastError, topology)})` : '';
    const variable = topologyVariable(topology);
    throw new StartupError(
      `${variable}: cannot reach Redis at ${topologyTarget(topology)} within ${Math.round(timeoutMs / 1000)} s${why}; check the hosts, ports and credentials in ${variable} and that Redis is running.`,
    );
  } finally {
    redis.off('error', remember);
  }
}

/**
 * The eviction policy the servers report (`INFO memory`, which managed Redis services allow);
 * on a cluster the first primary that evicts, since one is enough to lose data.
 */
export async function maxmemoryPolicy(redis: RedisClient): Promise<string | null> {
  const servers = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const policies = await Promise.all(
    servers.map(async (server) => /^maxmemory_policy:(\S+)/m.exec(await server.info('memory'))?.[1] ?? null),
  );
  return policies.find((policy) => policy !== null && policy !== 'noeviction') ?? policies[0] ?? null;
}

/**
 * Accounts, password hashes and counters are durable data: a Redis that evicts keys under
 * memory pressure could drop an account or loosen a limit. Production refuses to start on
 * one; elsewhere the returned warning is logged.
 */
export async function checkEvictionPolicy(
  redis: RedisClient,
  topology: RedisTopology,
  env: 'development' | 'production' | 'test',
): Promise<string | null> {
  const policy = await maxmemoryPolicy(redis);
  if (policy === null || policy === 'noeviction') return null;
  const problem = `Redis at ${topologyTarget(topology)} has maxmemory-policy ${policy}; set maxmemory-policy noeviction (accounts, password hashes and limits must never be evicted).`;
  if (env === 'production') throw new StartupError(`${problem} Refusing to start in production.`);
  return problem;
}
