import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { CorruptRecordError } from '../../core/errors.js';
import {
  assertValidRule,
  assertValidSubject,
  type RateLimiter,
  type RateLimitResult,
  type RateLimitRule,
  type RateLimitSubject,
} from '../../ports/rate-limiter.js';
import { asCorruptRecord, CachedScript } from './cached-script.js';
import { guarded, type RedisClient } from './connection.js';
import type { RedisKeys } from './keys.js';

/**
 * Fixed window: a hash {start, count}. The window opens with the first hit; the key
 * expires when the window ends. ARGV: now, limit, windowMs, record (1 = hit, 0 = peek).
 * Returns {allowed, remaining, retryAt}.
 */
const FIXED_WINDOW = new CachedScript(`
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local start, count = now, 0
local stored = redis.call('HMGET', KEYS[1], 'start', 'count')
if stored[1] or stored[2] then
  local storedStart, storedCount = tonumber(stored[1]), tonumber(stored[2])
  if not storedStart or not storedCount then
    return redis.error_reply('CORRUPT rate limit window ' .. KEYS[1])
  end
  if now < storedStart + window then start, count = storedStart, storedCount end
end
local allowed = count < limit
if allowed and ARGV[4] == '1' then
  count = count + 1
  redis.call('HSET', KEYS[1], 'start', string.format('%d', start), 'count', count)
  redis.call('PEXPIRE', KEYS[1], string.format('%d', start + window - now))
end
local remaining = limit - count
local retryAt = now
if remaining <= 0 then retryAt = start + window end
return {allowed and 1 or 0, remaining, string.format('%d', retryAt)}
`);

/**
 * Sliding window: a sorted set of hit times (unique members), so a hit counts for exactly
 * windowMs after it happened. Only allowed hits are stored, so the set never holds more
 * than `limit` members. ARGV: now, limit, windowMs, record, member.
 */
const SLIDING_WINDOW = new CachedScript(`
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local since = '(' .. string.format('%d', now - window)
local count = redis.call('ZCOUNT', KEYS[1], since, '+inf')
local allowed = count < limit
if allowed and ARGV[4] == '1' then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now - window))
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
  count = count + 1
  local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  redis.call('PEXPIRE', KEYS[1], string.format('%d', math.max(tonumber(newest[2]) + window - now, 1)))
end
local remaining = limit - count
local retryAt = now
if remaining <= 0 then
  local oldest = redis.call('ZRANGEBYSCORE', KEYS[1], since, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  retryAt = tonumber(oldest[2]) + window
end
return {allowed and 1 or 0, remaining, string.format('%d', retryAt)}
`);

const reply = z.tuple([z.literal([0, 1]), z.number().int(), z.coerce.number().int()]);

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
  ) {}

  hit(subject: RateLimitSubject, rule: RateLimitRule): Promise<RateLimitResult> {
    return this.run('rate-limit.hit', subject, rule, true);
  }

  peek(subject: RateLimitSubject, rule: RateLimitRule): Promise<RateLimitResult> {
    return this.run('rate-limit.peek', subject, rule, false);
  }

  async reset(subject: RateLimitSubject): Promise<void> {
    assertValidSubject(subject);
    await guarded('rate-limit.reset', () =>
      this.redis.del(this.key(subject, 'fixed'), this.key(subject, 'sliding')),
    );
  }

  private async run(
    operation: string,
    subject: RateLimitSubject,
    rule: RateLimitRule,
    record: boolean,
  ): Promise<RateLimitResult> {
    assertValidSubject(subject);
    assertValidRule(rule);
    const args: (string | number)[] = [this.clock.now(), rule.limit, rule.windowMs, record ? 1 : 0];
    const script = rule.mode === 'fixed' ? FIXED_WINDOW : SLIDING_WINDOW;
    if (rule.mode === 'sliding') args.push(randomUUID());
    const raw = await guarded(operation, async () => {
      try {
        return await script.run(this.redis, [this.key(subject, rule.mode)], args);
      } catch (error) {
        throw asCorruptRecord('rate limit counter', error);
      }
    });
    const parsed = reply.safeParse(raw);
    if (!parsed.success) throw new CorruptRecordError('rate limit counter', 'unexpected script reply');
    const [allowed, remaining, retryAt] = parsed.data;
    return { allowed: allowed === 1, remaining: Math.max(remaining, 0), retryAt };
  }

  private key(subject: RateLimitSubject, mode: RateLimitRule['mode']): string {
    return this.keys.tagged(subject.tag, 'rl', subject.name, mode);
  }
}
