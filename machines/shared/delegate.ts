import { sendTo, type AnyActorRef, type EventObject, type MachineContext } from 'xstate';

/** The children a flow hands the code loop to; each is invoked with its name as id. */
export type CodeChild = 'stepUp' | 'codeChallenge';

/** The action (declared in the parent's setup with `sendTo`) that hands an event to the child. */
const forwardAction = { stepUp: 'forwardToStepUp', codeChallenge: 'forwardToCodeChallenge' } as const;

/** The action `forwardTo(child)` names, for the parent's setup: the event goes on as it came. */
export function forwardingTo<TContext extends MachineContext, TEvent extends EventObject>(child: CodeChild) {
  return sendTo<TContext, TEvent, undefined, AnyActorRef, TEvent>(
    child,
    ({ event }: { event: TEvent }) => event,
  );
}

/**
 * The transition that hands an event to the running child. The parent notes the person
 * was there, so its own clock and idle deadline move with the child's.
 */
export function forwardTo<C extends CodeChild>(child: C) {
  return { actions: ['touch', forwardAction[child]] as ['touch', (typeof forwardAction)[C]] };
}

/** While a child runs the code loop, the person's code events and the clock go to it. */
export function forwardCodeEvents<C extends CodeChild>(child: C) {
  const forward = forwardTo(child);
  return { SUBMIT_CODE: forward, RESEND: forward, USE_ALTERNATE: forward, TICK: forward };
}
