/**
 * Counts attempts per subject so floods (code sends, wrong passwords, token guessing)
 * are refused. Refused hits are not counted: a person hammering the button does not
 * push their own retry time further out.
 */
export interface RateLimitSubject {
  /** The owner the counter belongs to, used as the Redis hash tag: `acct:1001`, `ip:<hash>`. */
  tag: string;
  /** What is being limited for that owner: `code-send:sms`, `reset-email`. */
  name: string;
}

export interface RateLimitRule {
  /** Hits allowed per window. */
  limit: number;
  windowMs: number;
  /**
   * `fixed`: a window opens with the first hit and lasts `windowMs`; when it ends the
   * whole allowance returns at once. `sliding`: each hit counts for exactly `windowMs`
   * after it happened, so there is never a burst of twice the limit around a boundary.
   */
  mode: 'fixed' | 'sliding';
}

export interface RateLimitResult {
  allowed: boolean;
  /** Hits still allowed in the current window after this one. */
  remaining: number;
  /** Epoch ms from which the next hit will be allowed; equals now while `remaining > 0`. */
  retryAt: number;
}

export interface RateLimiter {
  /** Counts one hit if the subject is under the limit, atomically. */
  hit(subject: RateLimitSubject, rule: RateLimitRule): Promise<RateLimitResult>;
  /**
   * The state now, without counting: whether a hit would be allowed, how many hits are
   * left before the limit and when the next one will be allowed.
   */
  peek(subject: RateLimitSubject, rule: RateLimitRule): Promise<RateLimitResult>;
  /** Forgets every hit of the subject (both modes), e.g. after a successful login. */
  reset(subject: RateLimitSubject): Promise<void>;
}

/** A rule the limiter cannot enforce is a bug in the caller, not a reason to allow. */
export function assertValidRule(rule: RateLimitRule): void {
  if (!Number.isSafeInteger(rule.limit) || rule.limit < 1) {
    throw new RangeError(`rate limit must be a whole number of at least 1, got ${rule.limit}`);
  }
  if (!Number.isSafeInteger(rule.windowMs) || rule.windowMs < 1) {
    throw new RangeError(`rate window must be a whole number of ms of at least 1, got ${rule.windowMs}`);
  }
}

/** Tags and names end up in Redis key names; a brace would move the key to another slot. */
export function assertValidSubject(subject: RateLimitSubject): void {
  for (const [field, value] of [
    ['tag', subject.tag],
    ['name', subject.name],
  ] as const) {
    if (value === '' || /[{}\s]/.test(value)) {
      throw new RangeError(`rate limit subject ${field} must be non-empty without braces or spaces`);
    }
  }
}
