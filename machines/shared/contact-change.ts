import { assign, fromPromise, sendTo, setup, type DoneStateEvent } from 'xstate';
import {
  stepUpMachine,
  type StepUpForwardedEvent,
  type StepUpMethods,
  type StepUpOutput,
  type UseAlternateEvent,
} from '../step-up.js';
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
  type AccountAddressField,
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
import type {
  CheckValueInput,
  CheckValueOutput,
  NotifyInput,
  NotifyKind,
  SaveChangeInput,
  SaveChangeOutput,
} from './effects.js';
import {
  errorOf,
  initialBase,
  isIdleExpired,
  notProvided,
  outputOf,
  touched,
  type CancelEvent,
  type FlowContextBase,
  type FlowInputBase,
  type FlowOutput,
  type FlowTag,
  type TickEvent,
} from './flow.js';
import type { FieldError, FlowMessageKey } from './messages.js';
import type { MachineView, MetaOf } from './view.js';

/**
 * SPEC 3.3–3.7 share one shape: (step-up) → new address → check → code to the new address
 * → confirm → save (→ notify the old one). Each flow file calls this builder with its own
 * id, so each flow keeps its own machine, version and diagram.
 */
export interface ContactChangeOptions {
  id: string;
  version: number;
  field: AccountAddressField;
  channel: CodeChannel;
  purpose: CodePurpose;
  /** Step-up (3.1) first, skipped while the privileged window is open. */
  stepUp: boolean;
  /** 3.5: the address is saved unverified before its code is sent. */
  saveBeforeVerify: boolean;
  /** Tell the previous address about the change after saving. */
  notify: NotifyKind | null;
  /** 3.7: a taken address gets the same replies as a free one, then a generic failure at the code step. */
  concealTaken: boolean;
}

export interface ContactChangeInput extends FlowInputBase {
  /** Used only by flows that step up. */
  privilegedUntil: number;
  privilegedWindowMs: number;
  methods: StepUpMethods;
}

export interface ContactChangeContext extends FlowContextBase {
  privilegedUntil: number;
  privilegedWindowMs: number;
  methods: StepUpMethods;
  /** The normalised new address; not a secret. */
  newValue: string | null;
  /** Kept for the code step only; never shown. */
  taken: boolean;
  savedUnverified: boolean;
  /** What a validator found wrong with the new address. */
  fieldError: FieldError | null;
  code: CodeState | null;
  /** Counters that make each repeat of an effect its own idempotent step. */
  sends: number;
  entries: number;
}

/** What this flow shows besides the common views, with the context each reads. */
export type ContactChangeView = MachineView<
  'enterValue' | 'enterCode' | 'codeNeedsResend',
  ContactChangeContext
>;

export interface SubmitValueEvent {
  type: 'SUBMIT_VALUE';
  value: string;
  now: number;
}

export interface EditValueEvent {
  type: 'EDIT_VALUE';
  now: number;
}

export type ContactChangeEvent =
  | SubmitValueEvent
  | EditValueEvent
  | SubmitCodeEvent
  | ResendCodeEvent
  | UseAlternateEvent
  | TickEvent
  | CancelEvent;

export type ContactChangeOutput = FlowOutput;

const stepUpDone = (event: unknown): StepUpOutput | undefined => outputOf<StepUpOutput>(event as TickEvent);

export function createContactChangeMachine(options: ContactChangeOptions) {
  const target = (context: ContactChangeContext): CodeTarget => ({
    kind: 'new',
    field: options.field,
    value: context.newValue ?? '',
  });
  const firstStep = options.stepUp ? 'stepUp' : 'enterValue';
  const afterCheck = options.saveBeforeVerify ? 'savingUnverified' : 'sendingCode';
  const afterSave = options.notify === null ? 'done' : 'notifying';

  return setup({
    types: {
      context: {} as ContactChangeContext,
      events: {} as ContactChangeEvent,
      input: {} as ContactChangeInput,
      output: {} as ContactChangeOutput,
      tags: {} as FlowTag,
      meta: {} as MetaOf<ContactChangeView>,
    },
    actors: {
      stepUp: stepUpMachine,
      checkValue: fromPromise<CheckValueOutput, CheckValueInput>(async () => notProvided('checkValue')),
      sendCode: fromPromise<SendCodeOutput, SendCodeInput>(async () => notProvided('sendCode')),
      verifyCode: fromPromise<VerifyCodeOutput, VerifyCodeInput>(async () => notProvided('verifyCode')),
      saveChange: fromPromise<SaveChangeOutput, SaveChangeInput>(async () => notProvided('saveChange')),
      notify: fromPromise<void, NotifyInput>(async () => notProvided('notify')),
    },
    guards: {
      idleExpired: ({ context, event }) => isIdleExpired(context, event),
      stepUpPassed: ({ event }) => stepUpDone(event)?.status === 'done',
      valueAccepted: ({ event }) => outputOf<CheckValueOutput>(event)?.outcome === 'ok',
      codeSent: ({ event }) => sendOutcome(event) === 'sent',
      sendLocked: ({ event }) => sendOutcome(event) === 'locked',
      hadCode: ({ context }) => context.code !== null,
      hadLiveCode: ({ context }) => hasLiveCode(context.code),
      mayResend: ({ context, event }) => mayResend(context.code, event),
      codeExpired: ({ context, event }) => isCodeExpired(context.code, event),
      codeAcceptedButTaken: ({ context, event }) => verifyOutcome(event) === 'ok' && context.taken,
      codeAccepted: ({ event }) => verifyOutcome(event) === 'ok',
      codeWrong: ({ event }) => verifyOutcome(event) === 'wrong',
      codeLocked: ({ event }) => verifyOutcome(event) === 'locked',
      saved: ({ event }) => outputOf<SaveChangeOutput>(event)?.outcome === 'saved',
    },
    actions: {
      touch: assign(({ context, event }) => touched(context, event)),
      forwardToStepUp: sendTo('stepUp', ({ event }) => event as StepUpForwardedEvent),
      keepWindow: assign(({ context, event }) => ({
        privilegedUntil: stepUpDone(event)?.privilegedUntil ?? context.privilegedUntil,
      })),
      takeStepUpReason: assign(({ event }) => ({ reason: stepUpDone(event)?.reason ?? 'flow.effectFailed' })),
      countEntry: assign(({ context }) => ({ entries: context.entries + 1 })),
      storeValue: assign(({ event }) => {
        const output = outputOf<CheckValueOutput>(event);
        return output?.outcome === 'ok'
          ? { newValue: output.value, taken: output.taken, fieldError: null, code: null }
          : {};
      }),
      noteInvalidValue: assign(({ event }) => {
        const output = outputOf<CheckValueOutput>(event);
        return { fieldError: output?.outcome === 'invalid' ? output.error : null };
      }),
      markSavedUnverified: assign({ savedUnverified: true }),
      countSend: assign(({ context }) => ({ sends: context.sends + 1 })),
      storeSentCode: assign(({ context, event }) => ({
        code: sentCode(event, options.channel),
        notice: context.sends > 1 ? ('code.resent' as const) : null,
      })),
      noteSendRefused: assign(({ context, event }) => ({
        notice: sendRefusal(event),
        code: afterRefusedSend(context.code, event),
      })),
      retireCode: assign(({ context }) => ({ code: retiredCode(context.code) })),
      failOnSendRefused: assign(({ event }) => ({ reason: sendRefusal(event) })),
      noteWrongCode: assign(({ context, event }) => ({
        code: afterWrongCode(context.code, event),
        notice: 'code.wrong' as const,
      })),
      noteDeadCode: assign(({ event }) => ({ notice: deadCodeNotice(event) })),
      recordError: assign(({ event }) => ({
        lastError: errorOf(event),
        notice: 'flow.effectFailed' as const,
      })),
      // An address saved unverified stays; leaving the flow reminds the person to verify it.
      endEarly: assign(({ context }, params: { reason: FlowMessageKey }) => ({
        reason: context.savedUnverified ? ('contactEmail.savedUnverified' as const) : params.reason,
      })),
      setNotice: assign((_, params: { notice: FlowMessageKey }) => ({ notice: params.notice })),
      setReason: assign((_, params: { reason: FlowMessageKey }) => ({ reason: params.reason })),
    },
  }).createMachine({
    id: options.id,
    version: String(options.version),
    context: ({ input }) => ({
      ...initialBase(input),
      privilegedUntil: input.privilegedUntil,
      privilegedWindowMs: input.privilegedWindowMs,
      methods: input.methods,
      newValue: null,
      taken: false,
      savedUnverified: false,
      fieldError: null,
      code: null,
      sends: 0,
      entries: 0,
    }),
    initial: firstStep,
    on: {
      CANCEL: { target: '.cancelled', actions: { type: 'endEarly', params: { reason: 'flow.cancelled' } } },
      TICK: {
        guard: 'idleExpired',
        target: '.failed',
        actions: { type: 'endEarly', params: { reason: 'flow.idleExpired' } },
      },
    },
    states: {
      ...(options.stepUp
        ? {
            stepUp: {
              meta: { view: 'delegated', child: 'stepUp' } as const,
              invoke: {
                id: 'stepUp',
                src: 'stepUp',
                input: ({ context }) => ({
                  now: context.seenAt,
                  idleTimeoutMs: context.idleTimeoutMs,
                  privilegedUntil: context.privilegedUntil,
                  privilegedWindowMs: context.privilegedWindowMs,
                  methods: context.methods,
                  purpose: 'step-up' as const,
                }),
                onDone: [
                  { guard: 'stepUpPassed', target: 'enterValue', actions: 'keepWindow' },
                  { target: 'failed', actions: 'takeStepUpReason' },
                ],
                onError: {
                  target: 'failed',
                  actions: ['recordError', { type: 'setReason', params: { reason: 'flow.effectFailed' } }],
                },
              },
              // The child owns these while it runs, idle timeout included.
              on: {
                SUBMIT_CODE: { actions: 'forwardToStepUp' },
                RESEND: { actions: 'forwardToStepUp' },
                USE_ALTERNATE: { actions: 'forwardToStepUp' },
                TICK: { actions: 'forwardToStepUp' },
              },
            },
          }
        : {}),
      enterValue: {
        meta: { view: 'enterValue', field: options.field },
        entry: 'touch',
        on: { SUBMIT_VALUE: { target: 'checkingValue' } },
      },
      checkingValue: {
        tags: ['busy'],
        meta: { view: 'working' },
        entry: ['touch', 'countEntry'],
        invoke: {
          id: 'checkValue',
          src: 'checkValue',
          input: ({ context, event }) => ({
            step: `checkValue#${context.entries}`,
            field: options.field,
            value: event.type === 'SUBMIT_VALUE' ? event.value : '',
          }),
          onDone: [
            { guard: 'valueAccepted', target: afterCheck, actions: 'storeValue' },
            { target: 'enterValue', actions: 'noteInvalidValue' },
          ],
          onError: { target: 'enterValue', actions: 'recordError' },
        },
      },
      ...(options.saveBeforeVerify
        ? {
            savingUnverified: {
              tags: ['busy'] as FlowTag[],
              meta: { view: 'working' } as const,
              invoke: {
                id: 'saveChange',
                src: 'saveChange',
                input: ({ context }) => ({
                  step: `saveUnverified#${context.entries}`,
                  field: options.field,
                  value: context.newValue ?? '',
                  verified: false,
                }),
                onDone: [
                  { guard: 'saved', target: 'sendingCode', actions: 'markSavedUnverified' },
                  {
                    target: 'enterValue',
                    actions: { type: 'setNotice', params: { notice: 'change.conflict' } },
                  },
                ],
                onError: { target: 'enterValue', actions: 'recordError' },
              },
            },
          }
        : {}),
      sendingCode: {
        tags: ['busy'],
        meta: { view: 'working' },
        entry: ['touch', 'countSend'],
        invoke: {
          id: 'sendCode',
          src: 'sendCode',
          input: ({ context }) => ({
            step: `sendCode#${context.sends}`,
            purpose: options.purpose,
            channel: options.channel,
            target: target(context),
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
            { target: 'enterValue', actions: 'noteSendRefused' },
          ],
          onError: { target: 'enterValue', actions: 'recordError' },
        },
      },
      enterCode: {
        meta: { view: 'enterCode', purpose: options.purpose },
        entry: 'touch',
        on: {
          SUBMIT_CODE: { target: 'verifyingCode' },
          RESEND: [
            { guard: 'mayResend', target: 'sendingCode' },
            { actions: { type: 'setNotice', params: { notice: 'code.resendTooSoon' } } },
          ],
          EDIT_VALUE: { target: 'enterValue' },
          TICK: {
            guard: 'codeExpired',
            target: 'needNewCode',
            actions: { type: 'setNotice', params: { notice: 'code.expired' } },
          },
        },
      },
      needNewCode: {
        meta: { view: 'codeNeedsResend', purpose: options.purpose },
        entry: ['touch', 'retireCode'],
        on: {
          RESEND: [
            { guard: 'mayResend', target: 'sendingCode' },
            { actions: { type: 'setNotice', params: { notice: 'code.resendTooSoon' } } },
          ],
          EDIT_VALUE: { target: 'enterValue' },
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
            purpose: options.purpose,
            channel: options.channel,
            target: target(context),
            code: event.type === 'SUBMIT_CODE' ? event.code : '',
          }),
          onDone: [
            ...(options.concealTaken
              ? [
                  {
                    guard: 'codeAcceptedButTaken' as const,
                    target: 'failed',
                    actions: {
                      type: 'setReason' as const,
                      params: { reason: 'loginEmail.changeFailed' as const },
                    },
                  },
                ]
              : []),
            { guard: 'codeAccepted', target: 'saving' },
            { guard: 'codeWrong', target: 'enterCode', actions: 'noteWrongCode' },
            {
              guard: 'codeLocked',
              target: 'failed',
              actions: { type: 'setReason', params: { reason: 'code.locked' } },
            },
            { target: 'needNewCode', actions: 'noteDeadCode' },
          ],
          onError: { target: 'enterCode', actions: 'recordError' },
        },
      },
      saving: {
        tags: ['busy'],
        meta: { view: 'working' },
        invoke: {
          id: 'saveChange',
          src: 'saveChange',
          input: ({ context }) => ({
            step: `save#${context.entries}`,
            field: options.field,
            value: context.newValue ?? '',
            verified: true,
          }),
          onDone: [
            {
              guard: 'saved',
              target: afterSave,
              actions: { type: 'setReason', params: { reason: 'change.saved' } },
            },
            {
              target: 'failed',
              actions: {
                type: 'setReason',
                params: { reason: options.concealTaken ? 'loginEmail.changeFailed' : 'change.conflict' },
              },
            },
          ],
          onError: { target: 'enterCode', actions: 'recordError' },
        },
      },
      ...(options.notify === null
        ? {}
        : {
            notifying: {
              tags: ['busy'] as FlowTag[],
              meta: { view: 'working' } as const,
              invoke: {
                id: 'notify',
                src: 'notify',
                input: () => ({ step: 'notifyPrevious', kind: options.notify ?? 'loginEmailChanged' }),
                onDone: { target: 'done' },
                // The change is saved; a lost notification must not undo or hide that.
                onError: {
                  target: 'done',
                  actions: [
                    'recordError',
                    { type: 'setReason', params: { reason: 'change.savedNotifyFailed' } },
                  ],
                },
              },
            },
          }),
      done: {
        type: 'final',
        meta: { view: 'finished', outcome: 'done' },
        output: ({ context }) => ({ status: 'done' as const, reason: context.reason ?? 'change.saved' }),
      },
      failed: {
        type: 'final',
        meta: { view: 'finished', outcome: 'failed' },
        output: ({ context }) => ({
          status: 'failed' as const,
          reason: context.reason ?? 'flow.effectFailed',
        }),
      },
      cancelled: {
        type: 'final',
        meta: { view: 'finished', outcome: 'cancelled' },
        output: ({ context }) => ({
          status: 'cancelled' as const,
          reason: context.reason ?? 'flow.cancelled',
        }),
      },
    },
    output: ({ event }) => (event as DoneStateEvent<ContactChangeOutput>).output,
  });
}

export type ContactChangeMachine = ReturnType<typeof createContactChangeMachine>;
