import type { CodeChallengeEvent } from './shared/code-challenge.js';
import { fromPromise, setup, type DoneStateEvent } from 'xstate';
import { flowActions, flowGuards, flowTypes } from './shared/common-actions.js';
import type {} from './shared/codes.js';
import type { NotifyInput, UnlockDirectoryInput, UnlockDirectoryOutput } from './shared/effects.js';
import {
  cancelOrIdle,
  failOnError,
  finalOutput,
  finalState,
  initialBase,
  notProvided,
  outputOf,
  type FlowContextBase,
  type FlowInputBase,
  type FlowOutput,
} from './shared/flow.js';
import type { CommonView } from './shared/view.js';
import {
  keepWindowAction,
  stepUpGateActions,
  stepUpGateGuards,
  stepUpMachine,
  stepUpState,
  type StepUpGateInput,
} from './step-up.js';

/**
 * SPEC 3.12: the company directory locked the account after too many failed sign-ins
 * elsewhere. Step-up → the directory's lockout is cleared → the owner is notified like any
 * change. An account the directory has not locked has nothing to unlock.
 */

export interface UnlockAccountInput extends FlowInputBase, StepUpGateInput {
  directoryLocked: boolean;
}

export interface UnlockAccountContext extends FlowContextBase, StepUpGateInput {
  directoryLocked: boolean;
}

export type UnlockAccountEvent = CodeChallengeEvent;

export const unlockAccountMachine = setup({
  // Only the common views: its step-up's code challenge shows the rest.
  types: flowTypes<UnlockAccountContext, UnlockAccountEvent, UnlockAccountInput, CommonView['meta']>(),
  actors: {
    stepUp: stepUpMachine,
    unlockDirectory: fromPromise<UnlockDirectoryOutput, UnlockDirectoryInput>(async () =>
      notProvided('unlockDirectory'),
    ),
    notify: fromPromise<void, NotifyInput>(async () => notProvided('notify')),
  },
  guards: {
    ...flowGuards,
    ...stepUpGateGuards,
    notLocked: ({ context }) => !context.directoryLocked,
    unlocked: ({ event }) => outputOf<UnlockDirectoryOutput>(event)?.outcome === 'unlocked',
  },
  actions: {
    ...flowActions<UnlockAccountContext, UnlockAccountEvent>(),
    ...stepUpGateActions<UnlockAccountContext, UnlockAccountEvent>(),
    keepWindow: keepWindowAction<UnlockAccountContext, UnlockAccountEvent>(),
  },
}).createMachine({
  id: 'unlockAccount',
  version: '2',
  context: ({ input }) => ({
    ...initialBase(input),
    directoryLocked: input.directoryLocked,
    privilegedUntil: input.privilegedUntil,
    privilegedWindowMs: input.privilegedWindowMs,
    methods: input.methods,
  }),
  initial: 'start',
  on: cancelOrIdle,
  states: {
    start: {
      meta: { view: 'working' },
      always: [
        {
          guard: 'notLocked',
          target: 'failed',
          actions: { type: 'setReason', params: { reason: 'unlock.notLocked' } },
        },
        { target: 'stepUp' },
      ],
    },
    stepUp: stepUpState(
      { target: 'unlocking', actions: 'keepWindow' },
      { purpose: 'step-up', windowUntil: (context: UnlockAccountContext) => context.privilegedUntil },
    ),
    unlocking: {
      tags: ['busy'],
      meta: { view: 'working' },
      invoke: {
        id: 'unlockDirectory',
        src: 'unlockDirectory',
        input: () => ({ step: 'unlockDirectory' }),
        onDone: [
          { guard: 'unlocked', target: 'notifying' },
          // The lock ran out (or support cleared it) while the person stepped up.
          { target: 'failed', actions: { type: 'setReason', params: { reason: 'unlock.notLocked' } } },
        ],
        onError: failOnError,
      },
    },
    notifying: {
      tags: ['busy'],
      meta: { view: 'working' },
      invoke: {
        id: 'notify',
        src: 'notify',
        input: () => ({ step: 'notifyAccountUnlocked', kind: 'accountUnlocked' as const }),
        onDone: {
          target: 'done',
          actions: { type: 'setReason', params: { reason: 'unlock.unlocked' } },
        },
        // The account is unlocked; a lost notification must not hide that.
        onError: {
          target: 'done',
          actions: ['recordError', { type: 'setReason', params: { reason: 'change.savedNotifyFailed' } }],
        },
      },
    },
    done: finalState('done', 'unlock.unlocked'),
    failed: finalState('failed'),
    cancelled: finalState('cancelled'),
  },
  output: ({ event }) => finalOutput(event as DoneStateEvent<FlowOutput>),
});
