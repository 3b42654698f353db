import { assign, type EventObject, type MetaObject } from 'xstate';
import {
  failureNotice,
  isIdleExpired,
  touched,
  type FlowContextBase,
  type FlowOutput,
  type FlowTag,
} from './flow.js';
import type { FlowMessageKey } from './messages.js';

/*
 * The implementations every flow machine's `setup` declares alike. Only implementations are
 * shared: each machine's `createMachine` config stays a literal that names them, so statechart
 * tools still read it.
 */

/** A flow machine's `types`: its own context, events, input and views; the shared tags and output. */
export function flowTypes<
  TContext extends FlowContextBase,
  TEvent extends EventObject,
  TInput,
  TMeta extends MetaObject,
  TOutput = FlowOutput,
>() {
  return {
    context: {} as TContext,
    events: {} as TEvent,
    input: {} as TInput,
    output: {} as TOutput,
    tags: {} as FlowTag,
    meta: {} as TMeta,
  };
}

/** The guard `cancelOrIdle` names. */
export const flowGuards = {
  idleExpired: ({ context, event }: { context: FlowContextBase; event: EventObject }) =>
    isIdleExpired(context, event),
};

/**
 * `touch` (entry of waiting and working states), `recordError` (an effect failed: the person
 * is told what to do; the engine logs what failed), `setNotice` and `setReason`. Typed per
 * machine, as XState types an action by the context and events of the machine it runs in.
 */
export function flowActions<TContext extends FlowContextBase, TEvent extends EventObject>() {
  type Update = Partial<TContext>;
  return {
    touch: assign<TContext, TEvent, undefined, TEvent, never>(
      ({ context, event }) => touched(context, event) as Update,
    ),
    recordError: assign<TContext, TEvent, undefined, TEvent, never>(
      ({ event }) => ({ notice: failureNotice(event) }) as Update,
    ),
    setNotice: assign<TContext, TEvent, { notice: FlowMessageKey }, TEvent, never>(
      (_, params) => ({ notice: params.notice }) as Update,
    ),
    setReason: assign<TContext, TEvent, { reason: FlowMessageKey }, TEvent, never>(
      (_, params) => ({ reason: params.reason }) as Update,
    ),
  };
}
