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
