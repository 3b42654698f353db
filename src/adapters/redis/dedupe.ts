import type { Clock } from '../../core/clock.js';
import { assertValidClaim, type Dedupe } from '../../ports/dedupe.js';
import { asCorruptRecord, CachedScript } from './cached-script.js';
import { guarded, type RedisClient } from './connection.js';
import type { RedisKeys } from './keys.js';

/**
 * SET NX PX, storing the logical expiry time as the value. The second branch only matters
 * when the injected clock runs ahead of Redis's own (tests, skewed instances): a claim
 * whose logical lifetime is over may be taken again even if Redis has not dropped it yet.
 * ARGV: now, ttlMs. Returns 1 for the first claim.
 */
const CLAIM = new CachedScript(`
local expiresAt = string.format('%d', tonumber(ARGV[1]) + tonumber(ARGV[2]))
if redis.call('SET', KEYS[1], expiresAt, 'NX', 'PX', ARGV[2]) then return 1 end
local held = tonumber(redis.call('GET', KEYS[1]))
if not held then return redis.error_reply('CORRUPT dedupe claim ' .. KEYS[1]) end
if held > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], expiresAt, 'PX', ARGV[2])
return 1
`);

export class RedisDedupe implements Dedupe {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
  ) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    assertValidClaim(key, ttlMs);
    const claimed = await guarded('dedupe.claim', async () => {
      try {
        return await CLAIM.run(this.redis, [this.keys.global('dedupe', key)], [this.clock.now(), ttlMs]);
      } catch (error) {
        throw asCorruptRecord('dedupe claim', error);
      }
    });
    return claimed === 1;
  }
}
