import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { inject } from 'vitest';
import { createFailFastRedis, waitUntilReady } from '../../src/adapters/redis/connection.js';

/** The run's shared redis-server (spawned by global setup unless REDIS_URL is set). */
export function sharedRedisUrl(): string {
  return inject('redisUrl');
}

/** A key prefix no other test uses, so suites share one server without seeing each other. */
export function uniquePrefix(label = 't'): string {
  return `${label}${randomBytes(4).toString('hex')}`;
}

export async function connectShared(): Promise<Redis> {
  const redis = createFailFastRedis(sharedRedisUrl());
  await waitUntilReady(redis);
  return redis;
}

/** Every key under a prefix, for keyspace assertions (TTL present, no secret in clear). */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
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
export async function dumpValues(redis: Redis, keys: readonly string[]): Promise<string> {
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
