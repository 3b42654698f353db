import { Cluster } from 'ioredis';
import type { RedisEndpoint, RedisTls, RedisTopology } from '../../config/redis.js';
import { StartupError } from '../../core/errors.js';
import type { RedisClient } from './connection.js';
import { redisTlsOptions, untrustedEndpoint } from './tls.js';

const DEFAULT_PORT = '6379';

/** `host:port` of a Redis URL, never its user name or password, for messages about it. */
function redisTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || DEFAULT_PORT}`;
  } catch {
    return 'an unreadable address';
  }
}

/** Where the topology points, never a user name or password, for messages about it. */
function topologyTarget(topology: RedisTopology): string {
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
 * Over TLS a failed connection is checked for a server certificate the app does not trust,
 * which stops start-up at once naming REDIS_TLS_CA_FILE: retrying would never fix it.
 */
export async function connectAtStartup(
  redis: RedisClient,
  topology: RedisTopology,
  timeoutMs = 5_000,
): Promise<void> {
  if (redis.status === 'ready') return;
  let lastError = '';
  let checking = false;
  let onError: (error: Error) => void = () => undefined;
  const remember = (error: Error) => onError(error);
  redis.on('error', remember);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
      onError = (error) => {
        lastError = error.message;
        if (topology.access.tls === null || checking) return;
        checking = true;
        void untrustedCertificate(topology, topology.access.tls).then((problem) => {
          checking = false;
          if (problem === null) return;
          clearTimeout(timer);
          reject(problem);
        });
      };
    });
  } catch (error) {
    redis.disconnect();
    if (error instanceof StartupError) throw error;
    const why = lastError ? ` (${scrubbed(lastError, topology)})` : '';
    const variable = topologyVariable(topology);
    throw new StartupError(
      `${variable}: cannot reach Redis at ${topologyTarget(topology)} within ${Math.round(timeoutMs / 1000)} s${why}; check the hosts, ports and credentials in ${variable} and that Redis is running.`,
    );
  } finally {
    redis.off('error', remember);
  }
}

async function untrustedCertificate(topology: RedisTopology, tls: RedisTls): Promise<StartupError | null> {
  const refused = await untrustedEndpoint(topologyEndpoints(topology), redisTlsOptions(tls));
  if (refused === null) return null;
  const { endpoint, reason } = refused;
  const trusted = tls.caFile === null ? "the system's CAs" : `the CA in ${tls.caFile}`;
  return new StartupError(
    `REDIS_TLS_CA_FILE: Redis at ${endpoint.host}:${endpoint.port} presented a certificate that ${trusted} cannot verify (${reason}); set REDIS_TLS_CA_FILE to the PEM file of the CA that signed the Redis servers' certificates, and check that each certificate names the host or IP the app connects to.`,
  );
}

function topologyEndpoints(topology: RedisTopology): RedisEndpoint[] {
  if (topology.kind === 'sentinel') return topology.sentinels;
  if (topology.kind === 'cluster') return topology.nodes;
  try {
    const parsed = new URL(topology.url);
    return [{ host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(parsed.port || DEFAULT_PORT) }];
  } catch {
    return [];
  }
}

/**
 * The eviction policy the servers report (`INFO memory`, which managed Redis services allow);
 * on a cluster the first primary that evicts, since one is enough to lose data.
 */
async function maxmemoryPolicy(redis: RedisClient): Promise<string | null> {
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
