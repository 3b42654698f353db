import { setTimeout as sleep } from 'node:timers/promises';
import type { webApi } from '@slack/bolt';
import type { Logger } from '../core/logger.js';
import { slackTransport } from './web-api-transport.js';

/** How long one Web API call may go on retrying, in SLACK_API_TIMEOUT_MS: 1 minute by default. */
export const RETRY_BUDGET_IN_TIMEOUTS = 6;

export interface RetryBudget {
  /** How long one call may go on waiting to try again; 0: it is tried once. */
  budgetMs: number;
  /** How long one try may take (SLACK_API_TIMEOUT_MS). */
  tryTimeoutMs: number;
}

type Outcome = Awaited<ReturnType<webApi.FetchFunction>> | Error;

const FIRST_BACKOFF_MS = 1_000;
const LONGEST_BACKOFF_MS = 16_000;

/**
 * The Web API client's fetch, retrying within a budget per call. The client's own policy
 * retried 10 times over about 30 minutes, and a 429 waited its Retry-After inside the try
 * while every other call of the client queued behind it: one rate-limited call could hold a
 * request, its memory and the person's answer for half an hour. Here a 429 waits its
 * Retry-After and a failure (network, timeout, 5xx) backs off 1, 2, 4 … s, only while the
 * next try starts within the budget; then the last answer stands, is logged by method and
 * reason, and the caller's failure path runs. The client is told to retry nothing and to
 * reject a 429 at once (see clientOptions), so it never pauses its queue.
 */
export function retryingFetch(
  budget: RetryBudget,
  logger: Logger,
  fetchFn: webApi.FetchFunction = slackTransport(),
): webApi.FetchFunction {
  return async (url, init) => {
    const started = Date.now();
    for (let tries = 1; ; tries += 1) {
      const outcome = await triedOnce(fetchFn, url, init, budget.tryTimeoutMs);
      const wait = waitBeforeRetry(outcome, tries);
      if (wait !== null && Date.now() - started + wait <= budget.budgetMs) {
        if (!(outcome instanceof Error)) await outcome.arrayBuffer().catch(() => undefined);
        await sleep(wait);
        continue;
      }
      if (wait !== null && budget.budgetMs > 0) {
        logger.warn(
          { method: methodOf(url), tries, reason: reasonOf(outcome) },
          'slack web api call failed within its retry budget; not tried again',
        );
      }
      if (outcome instanceof Error) throw outcome;
      return outcome;
    }
  };
}

/**
 * One try, aborted after `timeoutMs`. The transport reads the whole body before it resolves,
 * so the timer covers the body too and is cleared at once: AbortSignal.timeout's timer ran on
 * for the full timeout after every call and, firing, built a DOMException with its stack
 * (about 12 µs of every flow step in the profile).
 */
async function triedOnce(
  fetchFn: webApi.FetchFunction,
  url: string | URL,
  init: Parameters<webApi.FetchFunction>[1],
  timeoutMs: number,
): Promise<Outcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs);
  try {
    return await fetchFn(url, { ...init, signal: controller.signal });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}

/** How long to wait before trying again, or null when another try cannot help. */
function waitBeforeRetry(outcome: Outcome, tries: number): number | null {
  if (outcome instanceof Error || outcome.status >= 500)
    return Math.min(FIRST_BACKOFF_MS * 2 ** (tries - 1), LONGEST_BACKOFF_MS);
  if (outcome.status !== 429) return null;
  const seconds = Number.parseInt(outcome.headers.get('retry-after') ?? '', 10);
  return Number.isNaN(seconds) ? null : seconds * 1_000;
}

/** The method name from the call's URL: never its body, which holds the token and the text. */
function methodOf(url: string | URL): string {
  return new URL(url).pathname.split('/').at(-1) ?? '';
}

function reasonOf(outcome: Outcome): string {
  if (outcome instanceof Error) return outcome.name;
  return outcome.status === 429 ? 'ratelimited' : `http ${outcome.status}`;
}
