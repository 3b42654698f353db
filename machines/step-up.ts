import { assign, fromPromise, setup, type DoneStateEvent } from 'xstate';
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
} from './shared/codes.js';
import {
  errorOf,
  initialBase,
  isIdleExpired,
  notProvided,
  touched,
  type CancelEvent,
  type FlowContextBase,
  type FlowInputBase,
  type FlowOutput,
  type FlowTag,
  type TickEvent,
} from './shared/flow.js';
import type { FlowMessageKey } from './shared/messages.js';
import type { MachineView, MetaOf } from './shared/view.js';

/** SPEC 3.1: verify identity before a sensitive change; reused by 3.4, 3.6–3.9. */
export const stepUpId = 'stepUp';
export const stepUpVersion = 1;

/** Which identity-verification methods the account has. */
export interface StepUpMethods {
  /** A security mobile exists: code by SMS (preferred). */
  sms: boolean;
  /** A verification email exists: code by email (alternate). */
  email: boolean;
}

export interface StepUpInput extends FlowInputBase {
  /** End of the privileged window from an earlier step-up (epoch ms; 0 when none). */
  privilegedUntil: number;
  privilegedWindowMs: number;
  methods: StepUpMethods;
  /** `reset-identity` when the reset page uses it; codes are bound to the purpose. */
  purpose: Extract<CodePurpose, 'step-up' | 'reset-identity'>;
}

export interface StepUpContext extends FlowContextBase {
  purpose: CodePurpose;
  startedAt: number;
  privilegedUntil: number;
  privilegedWindowMs: number;
  methods: StepUpMethods;
  channel: CodeChannel;
  code: CodeState | null;
  /** Counts sends so each (re)send is its own idempotent effect: step `sendCode#n`. */
  sends: number;
}

export interface UseAlternateEvent {
  type: 'USE_ALTERNATE';
  now: number;
}

export type StepUpEvent = SubmitCodeEvent | ResendCodeEvent | UseAlternateEvent | TickEvent | CancelEvent;

/** Events a parent flow forwards to the step-up child while it runs. */
export type StepUpForwardedEvent = SubmitCodeEvent | ResendCodeEvent | UseAlternateEvent | TickEvent;

export interface StepUpOutput extends FlowOutput {
  /** The privileged window's end after this step-up (unchanged when it was skipped or failed). */
  privilegedUntil: number;
}

/** What this flow shows besides the common views, with the context each reads. */
export type StepUpView = MachineView<'enterCode' | 'codeNeedsResend', StepUpContext>;

function targetOf(channel: CodeChannel): CodeTarget {
  return { kind: 'current', field: channel === 'sms' ? 'securityMobile' : 'verificationEmail' };
}

export const stepUpMachine = setup({
  types: {
    context: {} as StepUpContext,
    events: {} as StepUpEvent,
    input: {} as StepUpInput,
    output: {} as StepUpOutput,
    tags: {} as FlowTag,
    meta: {} as MetaOf<StepUpView>,
  },
  actors: {
    sendCode: fromPromise<SendCodeOutput, SendCodeInput>(async () => notProvided('sendCode')),
    verifyCode: fromPromise<VerifyCodeOutput, VerifyCodeInput>(async () => notProvided('verifyCode')),
  },
  guards: {
    windowOpen: ({ context }) => context.privilegedUntil > context.startedAt,
    noMethod: ({ context }) => !context.methods.sms && !context.methods.email,
    hasAlternate: ({ context }) => context.methods.sms && context.methods.email,
    mayResend: ({ context, event }) => mayResend(context.code, event),
    codeExpired: ({ context, event }) => isCodeExpired(context.code, event),
    idleExpired: ({ context, event }) => isIdleExpired(context, event),
    codeSent: ({ event }) => sendOutcome(event) === 'sent',
    sendLocked: ({ event }) => sendOutcome(event) === 'locked',
    hadCode: ({ context }) => context.code !== null,
    hadLiveCode: ({ context }) => hasLiveCode(context.code),
    codeAccepted: ({ event }) => verifyOutcome(event) === 'ok',
    codeWrong: ({ event }) => verifyOutcome(event) === 'wrong',
    codeLocked: ({ event }) => verifyOutcome(event) === 'locked',
    codeExhausted: ({ event }) => verifyOutcome(event) === 'exhausted',
  },
  actions: {
    touch: assign(({ context, event }) => touched(context, event)),
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
    switchChannel: assign(({ context }) => ({
      channel: context.channel === 'sms' ? ('email' as const) : ('sms' as const),
      code: null,
    })),
    noteWrongCode: assign(({ context, event }) => ({
      code: afterWrongCode(context.code, event),
      notice: 'code.wrong' as const,
    })),
    noteDeadCode: assign(({ event }) => ({ notice: deadCodeNotice(event) })),
    openWindow: assign(({ context }) => ({ privilegedUntil: context.seenAt + context.privilegedWindowMs })),
    recordError: assign(({ event }) => ({ lastError: errorOf(event), notice: 'flow.effectFailed' as const })),
    setNotice: assign((_, params: { notice: FlowMessageKey }) => ({ notice: params.notice })),
    setReason: assign((_, params: { reason: FlowMessageKey }) => ({ reason: params.reason })),
  },
}).createMachine({
  id: 'stepUp',
  version: '1',
  context: ({ input }) => ({
    ...initialBase(input),
    purpose: input.purpose,
    startedAt: input.now,
    privilegedUntil: input.privilegedUntil,
    privilegedWindowMs: input.privilegedWindowMs,
    methods: input.methods,
    channel: input.methods.sms ? 'sms' : 'email',
    code: null,
    sends: 0,
  }),
  initial: 'start',
  on: {
    CANCEL: { target: '.cancelled', actions: { type: 'setReason', params: { reason: 'flow.cancelled' } } },
    TICK: {
      guard: 'idleExpired',
      target: '.failed',
      actions: { type: 'setReason', params: { reason: 'flow.idleExpired' } },
    },
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
        { target: 'sendingCode' },
      ],
    },
    sendingCode: {
      tags: ['busy'],
      meta: { view: 'working' },
      entry: ['touch', 'countSend'],
      invoke: {
        id: 'sendCode',
        src: 'sendCode',
        input: ({ context }) => ({
          step: `sendCode#${context.sends}`,
          purpose: context.purpose,
          channel: context.channel,
          target: targetOf(context.channel),
        }),
        onDone: [
          { guard: 'codeSent', target: 'enterCode', actions: 'storeSentCode' },
          {
            guard: 'sendLocked',
            target: 'failed',
            actions: { type: 'setReason', params: { reason: 'stepUp.locked' } },
          },
          { guard: 'hadLiveCode', target: 'enterCode', actions: 'noteSendRefused' },
          { guard: 'hadCode', target: 'needNewCode', actions: 'noteSendRefused' },
          { target: 'failed', actions: 'failOnSendRefused' },
        ],
        onError: {
          target: 'failed',
          actions: ['recordError', { type: 'setReason', params: { reason: 'flow.effectFailed' } }],
        },
      },
    },
    enterCode: {
      meta: { view: 'enterCode', purpose: 'step-up' },
      entry: 'touch',
      on: {
        SUBMIT_CODE: { target: 'verifyingCode' },
        RESEND: [
          { guard: 'mayResend', target: 'sendingCode' },
          { actions: { type: 'setNotice', params: { notice: 'code.resendTooSoon' } } },
        ],
        USE_ALTERNATE: { guard: 'hasAlternate', target: 'sendingCode', actions: 'switchChannel' },
        TICK: {
          guard: 'codeExpired',
          target: 'needNewCode',
          actions: { type: 'setNotice', params: { notice: 'code.expired' } },
        },
      },
    },
    needNewCode: {
      meta: { view: 'codeNeedsResend', purpose: 'step-up' },
      entry: ['touch', 'retireCode'],
      on: {
        RESEND: [
          { guard: 'mayResend', target: 'sendingCode' },
          { actions: { type: 'setNotice', params: { notice: 'code.resendTooSoon' } } },
        ],
        USE_ALTERNATE: { guard: 'hasAlternate', target: 'sendingCode', actions: 'switchChannel' },
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
          step: `verifyCode#${context.sends}`,
          purpose: context.purpose,
          channel: context.channel,
          target: targetOf(context.channel),
          code: event.type === 'SUBMIT_CODE' ? event.code : '',
        }),
        onDone: [
          {
            guard: 'codeAccepted',
            target: 'verified',
            actions: ['openWindow', { type: 'setReason', params: { reason: 'stepUp.verified' } }],
          },
          { guard: 'codeWrong', target: 'enterCode', actions: 'noteWrongCode' },
          {
            guard: 'codeLocked',
            target: 'failed',
            actions: { type: 'setReason', params: { reason: 'stepUp.locked' } },
          },
          {
            guard: 'codeExhausted',
            target: 'failed',
            actions: { type: 'setReason', params: { reason: 'stepUp.attemptOver' } },
          },
          { target: 'needNewCode', actions: 'noteDeadCode' },
        ],
        onError: { target: 'enterCode', actions: 'recordError' },
      },
    },
    verified: {
      type: 'final',
      meta: { view: 'finished', outcome: 'done' },
      output: ({ context }) => ({
        status: 'done' as const,
        reason: context.reason ?? 'stepUp.verified',
        privilegedUntil: context.privilegedUntil,
      }),
    },
    failed: {
      type: 'final',
      meta: { view: 'finished', outcome: 'failed' },
      output: ({ context }) => ({
        status: 'failed' as const,
        reason: context.reason ?? 'flow.effectFailed',
        privilegedUntil: context.privilegedUntil,
      }),
    },
    cancelled: {
      type: 'final',
      meta: { view: 'finished', outcome: 'cancelled' },
      output: ({ context }) => ({
        status: 'cancelled' as const,
        reason: context.reason ?? 'flow.cancelled',
        privilegedUntil: context.privilegedUntil,
      }),
    },
  },
  output: ({ event }) => (event as DoneStateEvent<StepUpOutput>).output,
});
