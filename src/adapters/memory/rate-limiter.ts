import type { Clock } from '../../core/clock.js';
import {
  assertValidRule,
  assertValidSubject,
  type RateLimiter,
  type RateLimitResult,
  type RateLimitRule,
  type RateLimitSubject,
} from '../../ports/rate-limiter.js';

type Counter =
  | { mode: 'fixed'; start: number; count: number; expiresAt: number }
  | { mode: 'sliding'; hits: number[]; expiresAt: number };

/** How often expired counters of subjects that never came back are dropped. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The in-process twin of RedisRateLimiter, same rules to the millisecond. Each call runs
 * without an await between read and write, which is what makes it atomic here.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counters = new Map<string, Counter>();
  private nextSweepAt = 0;

  constructor(private readonly clock: Clock) {}

  async hit(subject: RateLimitSubject, rule: RateLimitRule): Promise<RateLimitResult> {
    return this.apply(subject, rule, true);
  }

  async peek(subject: RateLimitSubject, rule: RateLimitRule): Promise<RateLimitResult> {
    return this.apply(subject, rule, false);
  }

  async reset(subject: RateLimitSubject): Promise<void> {
    assertValidSubject(subject);
    this.counters.delete(key(subject, 'fixed'));
    this.counters.delete(key(subject, 'sliding'));
  }

  private apply(subject: RateLimitSubject, rule: RateLimitRule, record: boolean): RateLimitResult {
    assertValidSubject(subject);
    assertValidRule(rule);
    const now = this.clock.now();
    this.sweep(now);
    return rule.mode === 'fixed'
      ? this.fixed(key(subject, 'fixed'), rule, now, record)
      : this.sliding(key(subject, 'sliding'), rule, now, record);
  }

  private fixed(id: string, rule: RateLimitRule, now: number, record: boolean): RateLimitResult {
    const stored = this.counters.get(id);
    let start = now;
    let count = 0;
    if (stored?.mode === 'fixed' && now < stored.start + rule.windowMs) {
      start = stored.start;
      count = stored.count;
    }
    const allowed = count < rule.limit;
    if (allowed && record) {
      count += 1;
      this.counters.set(id, { mode: 'fixed', start, count, expiresAt: start + rule.windowMs });
    }
    const remaining = rule.limit - count;
    return {
      allowed,
      remaining: Math.max(remaining, 0),
      retryAt: remaining > 0 ? now : start + rule.windowMs,
    };
  }

  private sliding(id: string, rule: RateLimitRule, now: number, record: boolean): RateLimitResult {
    const stored = this.counters.get(id);
    const hits = stored?.mode === 'sliding' ? stored.hits.filter((at) => at > now - rule.windowMs) : [];
    const allowed = hits.length < rule.limit;
    if (allowed && record) {
      hits.push(now);
      hits.sort((a, b) => a - b);
      const newest = hits.at(-1) ?? now;
      this.counters.set(id, { mode: 'sliding', hits, expiresAt: newest + rule.windowMs });
    }
    const remaining = rule.limit - hits.length;
    const oldest = hits[0] ?? now;
    return {
      allowed,
      remaining: Math.max(remaining, 0),
      retryAt: remaining > 0 ? now : oldest + rule.windowMs,
    };
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_EVERY_MS;
    for (const [id, counter] of this.counters) {
      if (counter.expiresAt <= now) this.counters.delete(id);
    }
  }
}

function key(subject: RateLimitSubject, mode: RateLimitRule['mode']): string {
  return JSON.stringify([subject.tag, subject.name, mode]);
}
