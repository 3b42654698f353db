import type { Redis } from 'ioredis';
import { StartupError } from '../../core/errors.js';

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

/** Error text from the client, with the URL's password and user taken out should it ever echo them. */
function scrubbed(text: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return text;
  }
  const secrets = [parsed.password, decodeURIComponent(parsed.password), parsed.username].filter(
    (secret) => secret.length > 0,
  );
  return secrets.reduce((clean, secret) => clean.split(secret).join('***'), text);
}

/**
 * Waits for the first connection. When Redis cannot be reached (or refuses the credentials)
 * in time, the connection is dropped and a StartupError says which host and port, why, and
 * that REDIS_URL is the variable to fix; the password never appears.
 */
export async function connectAtStartup(redis: Redis, url: string, timeoutMs = 5_000): Promise<void> {
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
    const why = lastError ? ` (${scrubbed(lastError, url)})` : '';
    throw new StartupError(
      `REDIS_URL: cannot reach Redis at ${redisTarget(url)} within ${Math.round(timeoutMs / 1000)} s${why}; check the host, port and credentials in REDIS_URL and that Redis is running.`,
    );
  } finally {
    redis.off('error', remember);
  }
}

/** The eviction policy the server reports (`INFO memory`, which managed Redis services allow). */
export async function maxmemoryPolicy(redis: Redis): Promise<string | null> {
  const info = await redis.info('memory');
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? null;
}

/**
 * Accounts, password hashes and counters are durable data: a Redis that evicts keys under
 * memory pressure could drop an account or loosen a limit. Production refuses to start on
 * one; elsewhere the returned warning is logged.
 */
export async function checkEvictionPolicy(
  redis: Redis,
  url: string,
  env: 'development' | 'production' | 'test',
): Promise<string | null> {
  const policy = await maxmemoryPolicy(redis);
  if (policy === null || policy === 'noeviction') return null;
  const problem = `Redis at ${redisTarget(url)} has maxmemory-policy ${policy}; set maxmemory-policy noeviction (accounts, password hashes and limits must never be evicted).`;
  if (env === 'production') throw new StartupError(`${problem} Refusing to start in production.`);
  return problem;
}
