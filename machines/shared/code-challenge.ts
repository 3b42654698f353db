import { assign, fromPromise, setup, type DoneStateEvent } from 'xstate';
import { flowActions, flowGuards, flowTypes } from './common-actions.js';
import {
  afterRefusedSend,
  afterWrongCode,
  deadCodeNotice,
  hasLiveCode,
  isCodeExpired,
  mayResend,
  retiredCode,
  sendOutcome,
  sendRefusal,
  sentCode,
  verifyOutcome,
  type CodeChannel,
  type CodePurpose,
  type CodeState,
  type CodeTarget,
  type ResendCodeEvent,
  type SendCodeInput,
  type SendCodeOutput,
  type SubmitCodeEvent,
  type VerifyCodeInput,
  type VerifyCodeOutput,
} from './codes.js';
import {
  cancelOrIdle,
  failOnError,
  finalOutput,
  finalState,
  initialBase,
  notProvided,
  type CancelEvent,
  type FlowContextBase,
  type FlowInputBase,
  type FlowOutput,
  type TickEvent,
} from './flow.js';
import type { MachineView, MetaOf } from './view.js';

/**
 * The one-time-code loop every flow that confirms an address shares: send → enter →
 * verify, with resends after the cooldown and a new code when one dies (SPEC §4). Step-up
 * (3.1), the contact changes (3.3–3.7) and linking (3.11) invoke it as a child machine.
 */

/** Where a code goes: the channel and the address. */
export interface CodeRoute {
  channel: CodeChannel;
  target: CodeTarget;
}

export interface CodeChallengeInput extends FlowInputBase, CodeRoute {
  purpose: CodePurpose;
  /** A second route the person may switch to (step-up's verification email); null when none. */
  alternate: CodeRoute | null;
  /** SPEC 3.1: five wrong codes end a step-up attempt; a change only asks for a new code. */
  exhaustedEnds: boolean;
  /**
   * Keeps this challenge's effect steps apart from an earlier challenge of the same flow
   * (another value entered, step-up run again): the engine runs each step once.
   */
  round: number;
}

export interface CodeChallengeContext extends FlowContextBase, CodeRoute {
  purpose: CodePurpose;
  alternate: CodeRoute | null;
  exhaustedEnds: boolean;
  round: number;
  code: CodeState | null;
  /** Counts sends so each (re)send is its own idempotent effect. */
  sends: number;
}

interface UseAlternateEvent {
  type: 'USE_ALTERNATE';
  now: number;
}

export type CodeChallengeEvent =
  SubmitCodeEvent | ResendCodeEvent | UseAlternateEvent | TickEvent | CancelEvent;

export interface CodeChallengeOutput extends FlowOutput {
  /** False when it ended with no code out on its route: a change may take another address and try again. */
  codeSent: boolean;
}

/** What the challenge shows besides the common views: its context says the code's purpose and route. */
export type CodeChallengeView = MachineView<'enterCode' | 'codeNeedsResend', CodeChallengeContext>;

const step = (name: string, context: CodeChallengeContext): string =>
  `${name}#${context.round}.${context.sends}`;

export const codeChallengeMachine = setup({
  types: flowTypes<
    CodeChallengeContext,
    CodeChallengeEvent,
    CodeChallengeInput,
    MetaOf<CodeChallengeView>,
    CodeChallengeOutput
  >(),
  actors: {
    sendCode: fromPromise<SendCodeOutput, SendCodeInput>(async () => notProvided('sendCode')),
    verifyCode: fromPromise<VerifyCodeOutput, VerifyCodeInput>(async () => notProvided('verifyCode')),
  },
  guards: {
    ...flowGuards,
    hasAlternate: ({ context }) => context.alternate !== null,
    mayResend: ({ context, event }) => mayResend(context.code, event),
    codeExpired: ({ context, event }) => isCodeExpired(context.code, event),
    codeSent: ({ event }) => sendOutcome(event) === 'sent',
    sendLocked: ({ event }) => sendOutcome(event) === 'locked',
    hadCode: ({ context }) => context.code !== null,
    hadLiveCode: ({ context }) => hasLiveCode(context.code),
    codeAccepted: ({ event }) => verifyOutcome(event) === 'ok',
    codeWrong: ({ event }) => verifyOutcome(event) === 'wrong',
    codeLocked: ({ event }) => verifyOutcome(event) === 'locked',
    attemptOver: ({ context, event }) => context.exhaustedEnds && verifyOutcome(event) === 'exhausted',
  },
  actions: {
    ...flowActions<CodeChallengeContext, CodeChallengeEvent>(),
    countSend: assign(({ context }) => ({ sends: context.sends + 1 })),
    storeSentCode: assign(({ context, event }) => ({
      code: sentCode(event, context.channel),
      notice: context.sends > 1 ? ('code.resent' as const) : null,
    })),
    noteSendRefused: assign(({ context, event }) => ({
      notice: sendRefusal(event),
      code: afterRefusedSend(context.code, event),
    })),
    retireCode: assign(({ context }) => ({ code: retiredCode(context.code) })),
    failOnSendRefused: assign(({ event }) => ({ reason: sendRefusal(event) })),
    switchRoute: assign(({ context }) => ({
      channel: context.alternate?.channel ?? context.channel,
      target: context.alternate?.target ?? context.target,
      alternate: { channel: context.channel, target: context.target },
      code: null,
    })),
    noteWrongCode: assign(({ context, event }) => ({
      code: afterWrongCode(context.code, event),
      notice: 'code.wrong' as const,
    })),
    noteDeadCode: assign(({ event }) => ({ notice: deadCodeNotice(event) })),
  },
}).createMachine({
  id: 'codeChallenge',
  version: '1',
  context: ({ input }) => ({
    ...initialBase(input),
    purpose: input.purpose,
    channel: input.channel,
    target: input.target,
    alternate: input.alternate,
    exhaustedEnds: input.exhaustedEnds,
    round: input.round,
    code: null,
    sends: 0,
  }),
  initial: 'sendingCode',
  on: cancelOrIdle,
  states: {
    sendingCode: {
      tags: ['busy'],
      meta: { view: 'working' },
      entry: ['touch', 'countSend'],
      invoke: {
        id: 'sendCode',
        src: 'sendCode',
        input: ({ context }) => ({
          step: step('sendCode', context),
          purpose: context.purpose,
          channel: context.channel,
          target: context.target,
        }),
        onDone: [
          { guard: 'codeSent', target: 'enterCode', actions: 'storeSentCode' },
          {
            guard: 'sendLocked',
            target: 'failed',
            actions: { type: 'setReason', params: { reason: 'code.locked' } },
          },
          { guard: 'hadLiveCode', target: 'enterCode', actions: 'noteSendRefused' },
          { guard: 'hadCode', target: 'needNewCode', actions: 'noteSendRefused' },
          { target: 'failed', actions: 'failOnSendRefused' },
        ],
        onError: failOnError,
      },
    },
    enterCode: {
      meta: { view: 'enterCode' },
      entry: 'touch',
      on: {
        SUBMIT_CODE: { target: 'verifyingCode' },
        RESEND: [
          { guard: 'mayResend', target: 'sendingCode' },
          { actions: { type: 'setNotice', params: { notice: 'code.resendTooSoon' } } },
        ],
        USE_ALTERNATE: { guard: 'hasAlternate', target: 'sendingCode', actions: 'switchRoute' },
        TICK: {
          guard: 'codeExpired',
          target: 'needNewCode',
          actions: { type: 'setNotice', params: { notice: 'code.expired' } },
        },
      },
    },
    needNewCode: {
      meta: { view: 'codeNeedsResend' },
      entry: ['touch', 'retireCode'],
      on: {
        RESEND: [
          { guard: 'mayResend', target: 'sendingCode' },
          { actions: { type: 'setNotice', params: { notice: 'code.resendTooSoon' } } },
        ],
        USE_ALTERNATE: { guard: 'hasAlternate', target: 'sendingCode', actions: 'switchRoute' },
      },
    },
    verifyingCode: {
      tags: ['busy', 'holdsSecret'],
      meta: { view: 'working' },
      entry: 'touch',
      invoke: {
        id: 'verifyCode',
        src: 'verifyCode',
        input: ({ context, event }) => ({
          step: step('verifyCode', context),
          purpose: context.purpose,
          channel: context.channel,
          target: context.target,
          code: event.type === 'SUBMIT_CODE' ? event.code : '',
        }),
        onDone: [
          { guard: 'codeAccepted', target: 'verified' },
          { guard: 'codeWrong', target: 'enterCode', actions: 'noteWrongCode' },
          {
            guard: 'codeLocked',
            target: 'failed',
            actions: { type: 'setReason', params: { reason: 'code.locked' } },
          },
          {
            guard: 'attemptOver',
            target: 'failed',
            actions: { type: 'setReason', params: { reason: 'code.exhausted' } },
          },
          { target: 'needNewCode', actions: 'noteDeadCode' },
        ],
        onError: { target: 'enterCode', actions: 'recordError' },
      },
    },
    verified: finalState('done', 'flow.completed'),
    failed: finalState('failed'),
    cancelled: finalState('cancelled'),
  },
  output: ({ context, event }) => ({
    ...finalOutput(event as DoneStateEvent<FlowOutput>),
    codeSent: context.code !== null,
  }),
});
