import type { RedisClient } from './connection.js';
import { createHash } from 'node:crypto';
import { CorruptRecordError } from '../../core/errors.js';

/**
 * A Lua script sent by digest (EVALSHA) and re-sent in full only when the server does
 * not know it (first use, or after a restart emptied the script cache). Typed and
 * connection-independent, unlike ioredis `defineCommand`, which needs declaration merging.
 */
export class CachedScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisClient, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return redis.eval(this.source, keys.length, ...keys, ...args);
      }
      throw error;
    }
  }
}

/**
 * Scripts answer `CORRUPT ...` when a stored value is not what they wrote, and Redis
 * answers `WRONGTYPE` when a key holds another type; both mean damaged data, not an outage.
 */
export function asCorruptRecord(what: string, error: unknown): unknown {
  if (error instanceof Error && /^(CORRUPT|WRONGTYPE)\b/.test(error.message)) {
    return new CorruptRecordError(what, error.message);
  }
  return error;
}
