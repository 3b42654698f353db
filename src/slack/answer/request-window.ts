import type { ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';

/**
 * Slack shows an error when a request is not acked within 3 s, and a modal left waiting
 * turns into "We had some trouble connecting". Past this, the request is acked with an
 * empty answer (a modal closes) whatever its listener is still waiting for; the listener
 * then shows its outcome in the DM, as it does after every step.
 */
const ACK_DEADLINE_MS = 600;

type Ack = ReceiverEvent['ack'];

/** Whether a request has been answered; read by the failure answer to choose how to reach the person. */
export interface RequestWindow {
  readonly acked: boolean;
  /** When the window acks on its own (epoch ms): an answer that needs the ack must come before. */
  readonly deadlineAt: number;
}

const windows = new WeakMap<object, RequestWindow>();

/** The window of the request whose payload is `body`, if it came through `openWindow`. */
export function windowOf(body: object): RequestWindow | undefined {
  return windows.get(body);
}

/**
 * Wraps a received request so that it is acked exactly once and never later than
 * `deadlineMs`: the first ack wins (a listener's ack after the deadline is dropped, with a log
 * line), and `close()` stops the timer once the request has been handled.
 */
export function openWindow(
  event: ReceiverEvent,
  logger: Logger,
  deadlineMs = ACK_DEADLINE_MS,
): { event: ReceiverEvent; close(): void } {
  const state = { acked: false, deadlineAt: Date.now() + deadlineMs };
  const once: Ack = async (response) => {
    if (state.acked) {
      logger.info('slack request already acked at its deadline; the late answer goes to the DM instead');
      return;
    }
    state.acked = true;
    await event.ack(response);
  };
  const timer = setTimeout(() => {
    if (state.acked) return;
    logger.warn('slack request not answered in time; acked so Slack does not show an error');
    once().catch((error: unknown) =>
      logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'deadline ack failed'),
    );
  }, deadlineMs);
  timer.unref();
  windows.set(event.body, state);
  return { event: { ...event, ack: once }, close: () => clearTimeout(timer) };
}
