import type { Actor, AnyMachineSnapshot, AnyStateMachine } from 'xstate';

/**
 * Resolves true once `isSettled` holds for the actor's snapshot, false after `timeoutMs`.
 * It looks again whenever any actor of the system changed: a flow that waits on a child
 * machine is busy by the child's state, and the parent emits nothing when only its child
 * moved, so XState's `waitFor` on the parent alone would miss it. It looks once the change
 * has run its course (a child that finished has told its parent), never in between.
 */
export function settled(
  actor: Actor<AnyStateMachine>,
  isSettled: (snapshot: AnyMachineSnapshot) => boolean,
  timeoutMs: number,
): Promise<boolean> {
  return new Promise((resolve) => {
    let looking: NodeJS.Immediate | null = null;
    const finish = (result: boolean) => {
      clearTimeout(timer);
      if (looking !== null) clearImmediate(looking);
      inspection.unsubscribe();
      resolve(result);
    };
    const look = () => {
      looking = null;
      if (isSettled(actor.getSnapshot())) finish(true);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    const inspection = actor.system.inspect((event) => {
      if (event.type === '@xstate.snapshot' && looking === null) looking = setImmediate(look);
    });
    look();
  });
}
