import {
  createActor,
  fromPromise,
  StateMachine,
  type AnyActorLogic,
  type AnyActorRef,
  type AnyMachineSnapshot,
  type AnyStateMachine,
} from 'xstate';
import type { SendCodeOutput, VerifyCodeInput, VerifyCodeOutput } from '../shared/codes.js';
import { CODE_TTL_MS, RESEND_AFTER_MS, USER_NOW } from './samples.js';

/** Scripted effects for direct tests: each actor name maps to what it answers for an input. */
export type Script = Record<string, (input: never) => unknown>;

export interface Calls {
  [actor: string]: unknown[];
}

function scripted(script: Script, calls: Calls) {
  return Object.fromEntries(
    Object.entries(script).map(([name, answer]) => [
      name,
      fromPromise<unknown, unknown>(async ({ input }) => {
        (calls[name] ??= []).push(input);
        return answer(input as never);
      }),
    ]),
  );
}

export const GOOD_CODE = '123456';

/** Code effects that behave like the service: one good code, attempts counted down. */
export function codeScript(attemptsPerCode = 5): Script {
  let attemptsLeft = attemptsPerCode;
  return {
    sendCode: (): SendCodeOutput => {
      attemptsLeft = attemptsPerCode;
      return {
        outcome: 'sent',
        maskedTarget: '+86 138****5678',
        expiresAt: USER_NOW + CODE_TTL_MS,
        resendAt: USER_NOW + RESEND_AFTER_MS,
      };
    },
    verifyCode: (input: VerifyCodeInput): VerifyCodeOutput => {
      if (input.code === GOOD_CODE) return { outcome: 'ok' };
      attemptsLeft -= 1;
      return attemptsLeft > 0 ? { outcome: 'wrong', attemptsLeft } : { outcome: 'exhausted' };
    },
  };
}

/**
 * A flow machine with scripted effects. The child machines it invokes get the same script,
 * over code effects that behave like the service when the script has none.
 */
export function withScript(machine: AnyStateMachine, script: Script, calls: Calls = {}): AnyStateMachine {
  const actors: Record<string, AnyActorLogic> = scripted(script, calls);
  for (const [name, declared] of Object.entries(machine.implementations.actors)) {
    if (declared instanceof StateMachine)
      actors[name] = withScript(declared, { ...codeScript(), ...script }, calls);
  }
  return machine.provide({ actors });
}

export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function send(
  actor: AnyActorRef,
  event: { type: string; [key: string]: unknown },
): Promise<void> {
  actor.send(event);
  await settle();
  await settle();
}

export async function started(machine: AnyStateMachine, input: unknown) {
  const actor = createActor(machine, { input });
  actor.start();
  await settle();
  await settle();
  return actor;
}

/** Persist and restore, as the engine does between every interaction. */
export async function restored(machine: AnyStateMachine, snapshot: AnyMachineSnapshot | unknown) {
  const actor = createActor(machine, { snapshot: snapshot as AnyMachineSnapshot, input: undefined });
  actor.start();
  await settle();
  await settle();
  return actor;
}
