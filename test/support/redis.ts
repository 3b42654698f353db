import { randomBytes } from 'node:crypto';
import { Cluster, type Redis } from 'ioredis';
import { inject } from 'vitest';
import {
  createFailFastRedis,
  createRedisClient,
  waitUntilReady,
  type RedisClient,
} from '../../src/adapters/redis/connection.js';
import type { RedisEndpoint, RedisTopology } from '../../src/config/redis.js';

/** The run's shared redis-server (spawned by global setup unless REDIS_URL is set). */
export function sharedRedisUrl(): string {
  return inject('redisUrl');
}

/** A key prefix no other test uses, so suites share one server without seeing each other. */
export function uniquePrefix(label = 't'): string {
  return `${label}${randomBytes(4).toString('hex')}`;
}

let sharedClusterNodes: Promise<RedisEndpoint[]> | undefined;

/** The run's shared 3-master Redis Cluster, started by the global setup on the first ask. */
function clusterNodes(): Promise<RedisEndpoint[]> {
  sharedClusterNodes ??= fetch(inject('redisClusterService')).then(async (response) => {
    if (!response.ok) throw new Error(`the test Redis Cluster did not start: ${await response.text()}`);
    return (await response.json()) as RedisEndpoint[];
  });
  return sharedClusterNodes;
}

/** The shared cluster, as the app would be configured for it. */
export async function sharedClusterTopology(): Promise<RedisTopology> {
  return {
    kind: 'cluster',
    nodes: await clusterNodes(),
    access: { username: null, password: null, tls: null },
  };
}

/** The shared cluster as REDIS_CLUSTER_NODES names it. */
export async function sharedClusterNodesVariable(): Promise<string> {
  return (await clusterNodes()).map((node) => `${node.host}:${node.port}`).join(',');
}

/** A fail-fast client of the shared cluster, as every store gets in production. */
export async function connectSharedCluster(): Promise<RedisClient> {
  const cluster = createRedisClient(await sharedClusterTopology(), 'fail-fast');
  await waitUntilReady(cluster);
  return cluster;
}

export async function connectShared(): Promise<Redis> {
  const redis = createFailFastRedis(sharedRedisUrl());
  await waitUntilReady(redis);
  return redis;
}

/** Every key under a prefix, for keyspace assertions (TTL present, no secret in clear). */
export async function keysUnder(redis: RedisClient, prefix: string): Promise<string[]> {
  // SCAN walks one node; a cluster's keys are spread over its primaries.
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const found = await Promise.all(nodes.map((node) => scanNode(node, prefix)));
  return found.flat();
}

async function scanNode(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found;
}

/** The readable content of every key (names and values, by type), to look for secrets in clear. */
export async function dumpValues(redis: RedisClient, keys: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const key of keys) {
    parts.push(key);
    const type = await redis.type(key);
    if (type === 'string') parts.push((await redis.get(key)) ?? '');
    else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
    else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, '0', '-1', 'WITHSCORES')));
    else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    else throw new Error(`unexpected Redis type ${type} at ${key}`);
  }
  return parts.join('\n');
}
