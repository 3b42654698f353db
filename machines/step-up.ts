import { assign, setup, type DoneStateEvent, type EventObject } from 'xstate';
import { flowActions, flowTypes } from './shared/common-actions.js';
import type { CodeChannel, CodePurpose, CodeTarget } from './shared/codes.js';
import {
  codeChallengeMachine,
  type CodeChallengeEvent,
  type CodeChallengeOutput,
  type CodeRoute,
} from './shared/code-challenge.js';
import {
  failOnError,
  finalState,
  initialBase,
  outputOf,
  type FlowContextBase,
  type FlowInputBase,
  type FlowOutput,
} from './shared/flow.js';
import type { FlowMessageKey } from './shared/messages.js';
import { forwardingTo, forwardCodeEvents } from './shared/delegate.js';
import type { CommonView } from './shared/view.js';

/** SPEC 3.1: verify identity before a sensitive change; reused by 3.4, 3.6–3.9. */

/** Which identity-verification methods the account has. */
export interface StepUpMethods {
  /** A security mobile exists: code by SMS (preferred). */
  sms: boolean;
  /** A verification email exists: code by email (alternate). */
  email: boolean;
}

/** What every flow that steps up is given, and passes on to its step-up. */
export interface StepUpGateInput {
  /** End of the privileged window from an earlier step-up (epoch ms; 0 when none). */
  privilegedUntil: number;
  privilegedWindowMs: number;
  methods: StepUpMethods;
}

export interface StepUpInput extends FlowInputBase, StepUpGateInput {
  /** `reset-identity` when the reset page uses it; codes are bound to the purpose. */
  purpose: Extract<CodePurpose, 'step-up' | 'reset-identity'>;
}

export interface StepUpContext extends FlowContextBase, StepUpGateInput {
  purpose: CodePurpose;
  startedAt: number;
}

export type StepUpEvent = CodeChallengeEvent;

export interface StepUpOutput extends FlowOutput {
  /** The privileged window's end after this step-up (unchanged when it was skipped or failed). */
  privilegedUntil: number;
}

function routeOf(channel: CodeChannel): CodeRoute {
  const target: CodeTarget = {
    kind: 'current',
    field: channel === 'sms' ? 'securityMobile' : 'verificationEmail',
  };
  return { channel, target };
}

/** SMS to the security mobile first; the verification email is the alternate when both exist. */
function routesOf(methods: StepUpMethods): { first: CodeRoute; alternate: CodeRoute | null } {
  const first = routeOf(methods.sms ? 'sms' : 'email');
  return { first, alternate: methods.sms && methods.email ? routeOf('email') : null };
}

/** The challenge's generic endings, in step-up's own words. */
function stepUpReason(reason: FlowMessageKey): FlowMessageKey {
  if (reason === 'code.locked') return 'stepUp.locked';
  if (reason === 'code.exhausted') return 'stepUp.attemptOver';
  return reason;
}

/** What a flow that steps up keeps in its context for the step-up it invokes. */
export interface StepUpParentContext extends FlowContextBase {
  privilegedWindowMs: number;
  methods: StepUpMethods;
}

const stepUpDone = (event: EventObject): StepUpOutput | undefined => outputOf<StepUpOutput>(event);

/** The guard `stepUpState` names. */
export const stepUpGateGuards = {
  stepUpPassed: ({ event }: { event: EventObject }) => stepUpDone(event)?.status === 'done',
};

/** The actions `stepUpState` names besides the common ones (`flowActions`). */
export function stepUpGateActions<TContext extends FlowContextBase, TEvent extends EventObject>() {
  return {
    forwardToStepUp: forwardingTo<TContext, TEvent>('stepUp'),
    takeStepUpReason: assign<TContext, TEvent, undefined, TEvent, never>(
      ({ event }) => ({ reason: stepUpDone(event)?.reason ?? 'flow.effectFailed' }) as Partial<TContext>,
    ),
  };
}

/** `keepWindow`: the flow keeps the privileged window its step-up opened, for a later one. */
export function keepWindowAction<
  TContext extends FlowContextBase & { privilegedUntil: number },
  TEvent extends EventObject,
>() {
  return assign<TContext, TEvent, undefined, TEvent, never>(
    ({ context, event }) =>
      ({
        privilegedUntil: stepUpDone(event)?.privilegedUntil ?? context.privilegedUntil,
      }) as Partial<TContext>,
  );
}

/**
 * The state of a flow that hands identity to step-up (3.1): it invokes it, forwards the
 * person's code events to it and goes on to `passed` when it verified; a failed or
 * cancelled step-up ends the flow with step-up's reason. The setup spreads `flowActions`,
 * `stepUpGateActions` and `stepUpGateGuards`. `windowUntil` is the privileged window it may
 * skip on.
 */
export function stepUpState<const Passed extends { target: string }, C extends StepUpParentContext>(
  passed: Passed,
  from: { purpose: StepUpInput['purpose']; windowUntil: (context: C) => number },
) {
  return {
    meta: { view: 'delegated', child: 'stepUp' },
    entry: 'touch',
    invoke: {
      id: 'stepUp',
      src: 'stepUp',
      input: ({ context }: { context: C }): StepUpInput => ({
        now: context.seenAt,
        idleTimeoutMs: context.idleTimeoutMs,
        privilegedUntil: from.windowUntil(context),
        privilegedWindowMs: context.privilegedWindowMs,
        methods: context.methods,
        purpose: from.purpose,
      }),
      onDone: [
        { guard: 'stepUpPassed', ...passed },
        { target: 'failed', actions: 'takeStepUpReason' },
      ],
      onError: failOnError,
    },
    on: forwardCodeEvents('stepUp'),
  } as const;
}

const challengeDone = (event: unknown): CodeChallengeOutput | undefined =>
  outputOf<CodeChallengeOutput>(event as DoneStateEvent);

export const stepUpMachine = setup({
  // Step-up shows only the common views; the code challenge it invokes shows the rest.
  types: flowTypes<StepUpContext, StepUpEvent, StepUpInput, CommonView['meta'], StepUpOutput>(),
  actors: { codeChallenge: codeChallengeMachine },
  guards: {
    windowOpen: ({ context }) => context.privilegedUntil > context.startedAt,
    noMethod: ({ context }) => !context.methods.sms && !context.methods.email,
    codeVerified: ({ event }) => challengeDone(event)?.status === 'done',
  },
  actions: {
    ...flowActions<StepUpContext, StepUpEvent>(),
    forwardToCodeChallenge: forwardingTo<StepUpContext, StepUpEvent>('codeChallenge'),
    openWindow: assign(({ context }) => ({ privilegedUntil: context.seenAt + context.privilegedWindowMs })),
    takeChallengeReason: assign(({ event }) => ({
      reason: stepUpReason(challengeDone(event)?.reason ?? 'flow.effectFailed'),
    })),
  },
}).createMachine({
  id: 'stepUp',
  version: '2',
  context: ({ input }) => ({
    ...initialBase(input),
    purpose: input.purpose,
    startedAt: input.now,
    privilegedUntil: input.privilegedUntil,
    privilegedWindowMs: input.privilegedWindowMs,
    methods: input.methods,
  }),
  initial: 'start',
  // The idle timeout is the challenge's: step-up only ever waits on it.
  on: {
    CANCEL: { target: '.cancelled', actions: { type: 'setReason', params: { reason: 'flow.cancelled' } } },
  },
  states: {
    start: {
      meta: { view: 'working' },
      always: [
        {
          guard: 'windowOpen',
          target: 'verified',
          actions: { type: 'setReason', params: { reason: 'stepUp.windowOpen' } },
        },
        {
          guard: 'noMethod',
          target: 'failed',
          actions: { type: 'setReason', params: { reason: 'stepUp.noMethod' } },
        },
        { target: 'challenge' },
      ],
    },
    challenge: {
      meta: { view: 'delegated', child: 'codeChallenge' },
      invoke: {
        id: 'codeChallenge',
        src: 'codeChallenge',
        input: ({ context }) => {
          const { first, alternate } = routesOf(context.methods);
          return {
            now: context.seenAt,
            idleTimeoutMs: context.idleTimeoutMs,
            purpose: context.purpose,
            ...first,
            alternate,
            exhaustedEnds: true,
            round: context.startedAt,
          };
        },
        onDone: [
          {
            guard: 'codeVerified',
            target: 'verified',
            actions: ['openWindow', { type: 'setReason', params: { reason: 'stepUp.verified' } }],
          },
          { target: 'failed', actions: 'takeChallengeReason' },
        ],
        onError: failOnError,
      },
      on: forwardCodeEvents('codeChallenge'),
    },
    verified: finalState('done', 'stepUp.verified'),
    failed: finalState('failed'),
    cancelled: finalState('cancelled'),
  },
  output: ({ context, event }) => ({
    ...(event as DoneStateEvent<FlowOutput>).output,
    privilegedUntil: context.privilegedUntil,
  }),
});
