import { createHmac } from 'node:crypto';
import type { RateLimiter, RateLimitResult, RateLimitRule, RateLimitSubject } from '../ports/rate-limiter.js';

const HOUR_MS = 60 * 60 * 1000;

export interface IpLimitSettings {
  tokenGuessesPerIpPerHour: number;
  forgotRequestsPerIpPerHour: number;
}

/**
 * Per-address limits of the web pages. Addresses are keyed by an HMAC, so Redis keys and
 * audit entries never hold one in clear. Token guessing counts only invalid links: a
 * person on a good link is never slowed by it, and a guesser past the limit gets the
 * invalid-link page without the link being looked at.
 */
export class IpLimits {
  private readonly guessRule: RateLimitRule;
  private readonly forgotRule: RateLimitRule;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly key: Buffer,
    settings: IpLimitSettings,
  ) {
    this.guessRule = { limit: settings.tokenGuessesPerIpPerHour, windowMs: HOUR_MS, mode: 'sliding' };
    this.forgotRule = { limit: settings.forgotRequestsPerIpPerHour, windowMs: HOUR_MS, mode: 'sliding' };
  }

  /** `ip:<hmac>`: the actor and rate-limit tag for an address. */
  tag(ip: string): string {
    return `ip:${createHmac('sha256', this.key).update(ip).digest('hex').slice(0, 32)}`;
  }

  async guessingBlocked(ip: string): Promise<boolean> {
    return !(await this.limiter.peek(this.subject(ip, 'link-guess'), this.guessRule)).allowed;
  }

  async countInvalidLink(ip: string): Promise<void> {
    await this.limiter.hit(this.subject(ip, 'link-guess'), this.guessRule);
  }

  /** Counts one /forgot request; refused ones do not count. */
  forgotRequest(ip: string): Promise<RateLimitResult> {
    return this.limiter.hit(this.subject(ip, 'forgot'), this.forgotRule);
  }

  private subject(ip: string, name: string): RateLimitSubject {
    return { tag: this.tag(ip), name };
  }
}
