import type { Logger } from './logger.js';

/**
 * A warning that a reconnecting client raises on every attempt (BullMQ's queue and worker while
 * Redis is down: about two a second, each with its stack): the first is logged, then at most one
 * line per interval saying how many came since, so an outage does not bury the rest of the log.
 */
export function repeatedWarning(
  logger: Logger | undefined,
  message: string,
  intervalMs = 60_000,
  now: () => number = Date.now,
): (error: Error) => void {
  let lastLogged = -Infinity;
  let since = 0;
  return (error) => {
    since += 1;
    if (now() - lastLogged < intervalMs) return;
    lastLogged = now();
    // The message only: the stack is the same client's reconnect every time.
    const reason = error.message;
    logger?.warn(since > 1 ? { reason, repeated: since } : { reason }, message);
    since = 0;
  };
}
