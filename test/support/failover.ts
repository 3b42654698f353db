import { TemporarilyUnavailableError } from '../../src/core/errors.js';

/** What a store call saw across a failover. */
export interface Gap<T> {
  /** What the first call that worked returned. */
  value: T;
  /** From `since` to that call's answer. */
  gapMs: number;
  /** How many calls were refused before it. */
  refused: number;
  /** The longest a refusal took (Slack's window is 3 s). */
  slowestMs: number;
}

/**
 * Calls `probe` every 50 ms until it works. Every failure before must be the typed
 * "temporarily unavailable" (fail closed, never a wrong answer); anything else is thrown.
 */
export async function servedAgain<T>(
  probe: () => Promise<T>,
  since: number,
  withinMs = 30_000,
): Promise<Gap<T>> {
  let refused = 0;
  let slowestMs = 0;
  for (;;) {
    const started = performance.now();
    try {
      const value = await probe();
      return { value, gapMs: performance.now() - since, refused, slowestMs };
    } catch (error) {
      if (!(error instanceof TemporarilyUnavailableError)) throw error;
      refused += 1;
      slowestMs = Math.max(slowestMs, performance.now() - started);
      if (performance.now() - since > withinMs)
        throw new Error(`not served again within ${withinMs} ms`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
