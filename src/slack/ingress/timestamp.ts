import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../../core/clock.js';

/** Slack's own tolerance; Bolt only refuses old requests, this refuses future ones too. */
export const MAX_REQUEST_SKEW_SECONDS = 300;

/** True when the request timestamp header is within ±300 s of the clock. */
export function freshTimestamp(header: string | string[] | undefined, nowMs: number): boolean {
  if (typeof header !== 'string' || !/^\d{1,12}$/.test(header)) return false;
  return Math.abs(Math.floor(nowMs / 1000) - Number(header)) <= MAX_REQUEST_SKEW_SECONDS;
}

/**
 * Runs before Bolt's signature check: a replayed request (old) or a forged future one is
 * answered 401 without reading the body.
 */
export function requestTimestampCheck(clock: Clock) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (freshTimestamp(request.headers['x-slack-request-timestamp'], clock.now())) {
      next();
      return;
    }
    response.status(401).send();
  };
}
