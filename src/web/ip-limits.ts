import { createHmac } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import type { RateLimiter, RateLimitResult, RateLimitRule, RateLimitSubject } from '../ports/rate-limiter.js';

const HOUR_MS = 60 * 60 * 1000;

export interface IpLimitSettings {
  tokenGuessesPerIpPerHour: number;
  forgotRequestsPerIpPerHour: number;
}

/**
 * Per-address limits of the web pages. Addresses are keyed by an HMAC, so Redis keys and
 * audit entries never hold one in clear; an IPv6 address counts as its /64, which one
 * host usually holds whole. Token guessing counts only invalid links, in one atomic hit,
 * and never refuses a valid link: an office behind one NAT address must not lose its
 * resets to one guesser.
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
    return `ip:${createHmac('sha256', this.key).update(addressKey(ip)).digest('hex').slice(0, 32)}`;
  }

  /** Counts one invalid link opening; not allowed once the address is past the limit. */
  countInvalidLink(ip: string): Promise<RateLimitResult> {
    return this.limiter.hit(this.subject(ip, 'link-guess'), this.guessRule);
  }

  /** Counts one /forgot request; refused ones do not count. */
  forgotRequest(ip: string): Promise<RateLimitResult> {
    return this.limiter.hit(this.subject(ip, 'forgot'), this.forgotRule);
  }

  private subject(ip: string, name: string): RateLimitSubject {
    return { tag: this.tag(ip), name };
  }
}

/** What an address is counted as: IPv4 as itself (also when IPv4-mapped), IPv6 as its /64. */
function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (!(address instanceof ipaddr.IPv6)) return address.toString();
  return `${new ipaddr.IPv6([...address.parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}
