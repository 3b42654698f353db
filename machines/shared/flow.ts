import type { DoneStateEvent, EventObject } from 'xstate';
import type { FlowMessageKey } from './messages.js';

/**
 * What every flow machine shares: the clock arrives in events, deadlines live in context as
 * epoch milliseconds, and a flow ends in one of three final states with a reason key.
 */

/** Sent by the engine before every event and by the scheduler: the only way time passes. */
export interface TickEvent {
  type: 'TICK';
  now: number;
}

export interface CancelEvent {
  type: 'CANCEL';
  now: number;
}

export type FlowStatus = 'done' | 'cancelled' | 'failed';

export interface FlowOutput {
  status: FlowStatus;
  reason: FlowMessageKey;
}

/**
 * Tags the engine reads. `busy`: the state waits on an invoked actor, so the engine waits
 * until it settles. `holdsSecret`: the in-flight actor's input carries something the person
 * typed (a code, a password, a document number); XState persists in-flight inputs, so the
 * engine must never persist a snapshot in such a state. `parked`: the flow waits on someone
 * else for days (identity review); it is not the person's active flow and does not idle out.
 */
export type FlowTag = 'busy' | 'holdsSecret' | 'parked';

export interface FlowInputBase {
  now: number;
  idleTimeoutMs: number;
}

export interface FlowContextBase {
  idleTimeoutMs: number;
  /** Last time an event carried; null while parked. */
  idleDeadline: number | null;
  /** Last time an event carried the clock. */
  seenAt: number;
  /** Something to tell the person in the next view (wrong code, saved, ...). */
  notice: FlowMessageKey | null;
  /** Why the flow ended; set on the way into a final state. */
  reason: FlowMessageKey | null;
}

export function initialBase(input: FlowInputBase): FlowContextBase {
  return {
    idleTimeoutMs: input.idleTimeoutMs,
    idleDeadline: input.now + input.idleTimeoutMs,
    seenAt: input.now,
    notice: null,
    reason: null,
  };
}

function eventTime(event: EventObject): number | null {
  const now: unknown = (event as { now?: unknown }).now;
  return typeof now === 'number' ? now : null;
}

/**
 * Entry action of every waiting and working state. A person's event (it carries `now`)
 * moves the idle deadline and retires the last notice; done events and TICK change
 * nothing, so a notice set on the way back from an effect survives into the next view.
 */
export function touched(context: FlowContextBase, event: EventObject): Partial<FlowContextBase> {
  const now = eventTime(event);
  if (now === null || event.type === 'TICK') return {};
  return { seenAt: now, idleDeadline: now + context.idleTimeoutMs, notice: null };
}

export function isIdleExpired(context: FlowContextBase, event: EventObject): boolean {
  const now = eventTime(event);
  return now !== null && context.idleDeadline !== null && now >= context.idleDeadline;
}

/** True when the event's clock has reached the deadline; false when there is none. */
export function isPast(deadline: number | null | undefined, event: EventObject): boolean {
  const now = eventTime(event);
  return now !== null && deadline !== null && deadline !== undefined && now >= deadline;
}

/**
 * The output of an invoked actor's done event. Guards and actions declared in `setup` are
 * typed over the machine's own events only, but XState hands them the done event at run
 * time; this is the one place that crosses that gap.
 */
export function outputOf<T>(event: EventObject): T | undefined {
  return (event as { output?: T }).output;
}

/**
 * What a failed effect tells the person: a full password-hashing queue (recognised by name,
 * as machines import nothing from src/) asks for a retry in a moment; anything else fails.
 */
export function failureNotice(event: EventObject): 'flow.hashingBusy' | 'flow.effectFailed' {
  const error = (event as { error?: unknown }).error;
  return error instanceof Error && error.name === 'HashingBusyError'
    ? 'flow.hashingBusy'
    : 'flow.effectFailed';
}

/** The stub every actor starts as: the engine supplies the real one with `.provide()`. */
export function notProvided(name: string): never {
  throw new Error(`actor "${name}" is not provided`);
}

/** Cancel and the idle timeout, from anywhere in a flow (its setup has `idleExpired` and `setReason`). */
export const cancelOrIdle = {
  CANCEL: { target: '.cancelled', actions: { type: 'setReason', params: { reason: 'flow.cancelled' } } },
  TICK: {
    guard: 'idleExpired',
    target: '.failed',
    actions: { type: 'setReason', params: { reason: 'flow.idleExpired' } },
  },
} as const;

/** An effect that failed ends the flow; what went wrong is kept as text. */
export const failOnError = {
  target: 'failed',
  actions: ['recordError', { type: 'setReason', params: { reason: 'flow.effectFailed' } }],
} as const;

const fallbackReasons: Record<FlowStatus, FlowMessageKey> = {
  done: 'flow.completed',
  failed: 'flow.effectFailed',
  cancelled: 'flow.cancelled',
};

/**
 * A final state of a flow: it ends with the reason set on the way in, or this fallback.
 * Every machine ends through these three (`done` may be named for what it means, such as
 * `verified`).
 */
export function finalState<S extends FlowStatus>(
  status: S,
  fallback: FlowMessageKey = fallbackReasons[status],
) {
  return {
    type: 'final' as const,
    meta: { view: 'finished' as const, outcome: status },
    output: ({ context }: { context: FlowContextBase }): FlowOutput => ({
      status,
      reason: context.reason ?? fallback,
    }),
  };
}

/** The machine's output: what its final state gave. */
export function finalOutput(event: DoneStateEvent<FlowOutput>): FlowOutput {
  return event.output;
}
