import { guarded, type RedisClient } from '../adapters/redis/connection.js';

/**
 * Ready when Redis answers a PING (the in-process store always is) and, with a directory,
 * when the directory's service account can bind and read.
 */
export function storesReady(
  redis: RedisClient | null,
  directory: { ping(): Promise<boolean> } | null = null,
): () => Promise<boolean> {
  const redisReady = redisAnswers(redis);
  return async () => (await redisReady()) && (directory === null || (await directory.ping()));
}

function redisAnswers(redis: RedisClient | null): () => Promise<boolean> {
  if (redis === null) return async () => true;
  return async () => {
    try {
      return (await guarded('readiness ping', () => redis.ping())) === 'PONG';
    } catch {
      return false;
    }
  };
}
