import type { Redis } from 'ioredis';
import { guarded } from '../adapters/redis/connection.js';

/** Ready when Redis answers a PING; the in-process store is always ready. */
export function storesReady(redis: Redis | null): () => Promise<boolean> {
  if (redis === null) return async () => true;
  return async () => {
    try {
      return (await guarded('readiness ping', () => redis.ping())) === 'PONG';
    } catch {
      return false;
    }
  };
}
