import { Redis, type RedisOptions } from 'ioredis';
import { TemporarilyUnavailableError } from '../../core/errors.js';

/**
 * A connection for security paths: no offline queue and no retries per request, so a
 * Redis outage surfaces at once as TemporarilyUnavailableError instead of queueing
 * checks that would run later (or never). BullMQ gets its own connections elsewhere.
 */
export function createFailFastRedis(url: string, overrides: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...overrides,
  });
  // Without a listener ioredis prints every reconnect failure; the typed errors carry the news.
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
  /Connection is closed|Stream isn't writeable|enableOfflineQueue|Command timed out|Socket timeout|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|max retries|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN/i;

/** Reply errors from our own scripts (wrong type, bad arguments) are bugs, not outages. */
function isTransportError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  return TRANSPORT_FAILURE.test(error.message);
}

/** Waits until the connection is ready (start-up and tests). */
export async function waitUntilReady(redis: Redis, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TemporarilyUnavailableError('connect')), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
