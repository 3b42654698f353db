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
  type CodeState,
  type CodeTarget,
  type ResendCodeEvent,
  type SendCodeInput,
  type SendCodeOutput,
  type SubmitCodeEvent,
  type VerifyCodeInput,
  type VerifyCodeOutput,
} from './shared/codes.js';
import type { FindAccountInput, FindAccountOutput, LinkAccountInput, NotifyInput } from './shared/effects.js';
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
} from './shared/flow.js';
import type { FlowMessageKey } from './shared/messages.js';
import type { MachineView, MetaOf } from './shared/view.js';

/**
 * SPEC 3.11: on first contact, find the account whose login email is the Slack profile email,
 * confirm ownership once with a code to that email, link. No match: explain and offer to
 * tell support.
 */
export const linkSlackUserId = 'linkSlackUser';
export const linkSlackUserVersion = 1;

export type LinkSlackUserInput = FlowInputBase;

export interface LinkSlackUserContext extends FlowContextBase {
  code: CodeState | null;
  sends: number;
}

/** What this flow shows besides the common views, with the context each reads. */
export type LinkSlackUserView = MachineView<
  'noAccountMatch' | 'enterCode' | 'codeNeedsResend',
  LinkSlackUserContext
>;

export type LinkSlackUserEvent =
  { type: 'NOTIFY_SUPPORT'; now: number } | SubmitCodeEvent | ResendCodeEvent | TickEvent | CancelEvent;

export type LinkSlackUserOutput = FlowOutput;

const loginEmail: CodeTarget = { kind: 'current', field: 'loginEmail' };

export const linkSlackUserMachine = setup({
  types: {
    context: {} as LinkSlackUserContext,
    events: {} as LinkSlackUserEvent,
    input: {} as LinkSlackUserInput,
    output: {} as LinkSlackUserOutput,
    tags: {} as FlowTag,
    meta: {} as MetaOf<LinkSlackUserView>,
  },
  actors: {
    findAccount: fromPromise<FindAccountOutput, FindAccountInput>(async () => notProvided('findAccount')),
    sendCode: fromPromise<SendCodeOutput, SendCodeInput>(async () => notProvided('sendCode')),
    verifyCode: fromPromise<VerifyCodeOutput, VerifyCodeInput>(async () => notProvided('verifyCode')),
    linkAccount: fromPromise<void, LinkAccountInput>(async () => notProvided('linkAccount')),
    notify: fromPromise<void, NotifyInput>(async () => notProvided('notify')),
  },
  guards: {
    idleExpired: ({ context, event }) => isIdleExpired(context, event),
    accountFound: ({ event }) => outputOf<FindAccountOutput>(event)?.outcome === 'found',
    alreadyLinked: ({ event }) => outputOf<FindAccountOutput>(event)?.outcome === 'alreadyLinked',
    codeSent: ({ event }) => sendOutcome(event) === 'sent',
    sendLocked: ({ event }) => sendOutcome(event) === 'locked',
    hadCode: ({ context }) => context.code !== null,
    hadLiveCode: ({ context }) => hasLiveCode(context.code),
    mayResend: ({ context, event }) => mayResend(context.code, event),
    codeExpired: ({ context, event }) => isCodeExpired(context.code, event),
    codeAccepted: ({ event }) => verifyOutcome(event) === 'ok',
    codeWrong: ({ event }) => verifyOutcome(event) === 'wrong',
    codeLocked: ({ event }) => verifyOutcome(event) === 'locked',
  },
  actions: {
    touch: assign(({ context, event }) => touched(context, event)),
    countSend: assign(({ context }) => ({ sends: context.sends + 1 })),
    storeSentCode: assign(({ context, event }) => ({
      code: sentCode(event, 'email'),
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
    recordError: assign(({ event }) => ({ lastError: errorOf(event), notice: 'flow.effectFailed' as const })),
    setNotice: assign((_, params: { notice: FlowMessageKey }) => ({ notice: params.notice })),
    setReason: assign((_, params: { reason: FlowMessageKey }) => ({ reason: params.reason })),
  },
}).createMachine({
  id: 'linkSlackUser',
  version: '1',
  context: ({ input }) => ({ ...initialBase(input), code: null, sends: 0 }),
  initial: 'lookingUp',
  on: {
    CANCEL: { target: '.cancelled', actions: { type: 'setReason', params: { reason: 'flow.cancelled' } } },
    TICK: {
      guard: 'idleExpired',
      target: '.failed',
      actions: { type: 'setReason', params: { reason: 'flow.idleExpired' } },
    },
  },
  states: {
    lookingUp: {
      tags: ['busy'],
      meta: { view: 'working' },
      invoke: {
        id: 'findAccount',
        src: 'findAccount',
        input: () => ({ step: 'findAccount' }),
        onDone: [
          { guard: 'accountFound', target: 'sendingCode' },
          {
            guard: 'alreadyLinked',
            target: 'done',
            actions: { type: 'setReason', params: { reason: 'link.alreadyLinked' } },
          },
          { target: 'noMatch' },
        ],
        onError: {
          target: 'failed',
          actions: ['recordError', { type: 'setReason', params: { reason: 'flow.effectFailed' } }],
        },
      },
    },
    noMatch: {
      meta: { view: 'noAccountMatch' },
      entry: 'touch',
      on: { NOTIFY_SUPPORT: { target: 'notifyingSupport' } },
    },
    notifyingSupport: {
      tags: ['busy'],
      meta: { view: 'working' },
      entry: 'touch',
      invoke: {
        id: 'notify',
        src: 'notify',
        input: () => ({ step: 'notifySupport', kind: 'linkNoMatch' as const }),
        onDone: {
          target: 'done',
          actions: { type: 'setReason', params: { reason: 'link.supportNotified' } },
        },
        onError: { target: 'noMatch', actions: 'recordError' },
      },
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
          purpose: 'account-link' as const,
          channel: 'email' as const,
          target: loginEmail,
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
        onError: {
          target: 'failed',
          actions: ['recordError', { type: 'setReason', params: { reason: 'flow.effectFailed' } }],
        },
      },
    },
    enterCode: {
      meta: { view: 'enterCode', purpose: 'account-link' },
      entry: 'touch',
      on: {
        SUBMIT_CODE: { target: 'verifyingCode' },
        RESEND: [
          { guard: 'mayResend', target: 'sendingCode' },
          { actions: { type: 'setNotice', params: { notice: 'code.resendTooSoon' } } },
        ],
        TICK: {
          guard: 'codeExpired',
          target: 'needNewCode',
          actions: { type: 'setNotice', params: { notice: 'code.expired' } },
        },
      },
    },
    needNewCode: {
      meta: { view: 'codeNeedsResend', purpose: 'account-link' },
      entry: ['touch', 'retireCode'],
      on: {
        RESEND: [
          { guard: 'mayResend', target: 'sendingCode' },
          { actions: { type: 'setNotice', params: { notice: 'code.resendTooSoon' } } },
        ],
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
          purpose: 'account-link' as const,
          channel: 'email' as const,
          target: loginEmail,
          code: event.type === 'SUBMIT_CODE' ? event.code : '',
        }),
        onDone: [
          { guard: 'codeAccepted', target: 'linking' },
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
    linking: {
      tags: ['busy'],
      meta: { view: 'working' },
      invoke: {
        id: 'linkAccount',
        src: 'linkAccount',
        input: () => ({ step: 'linkAccount' }),
        onDone: { target: 'done', actions: { type: 'setReason', params: { reason: 'link.linked' } } },
        onError: {
          target: 'failed',
          actions: ['recordError', { type: 'setReason', params: { reason: 'flow.effectFailed' } }],
        },
      },
    },
    done: {
      type: 'final',
      meta: { view: 'finished', outcome: 'done' },
      output: ({ context }) => ({ status: 'done' as const, reason: context.reason ?? 'link.linked' }),
    },
    failed: {
      type: 'final',
      meta: { view: 'finished', outcome: 'failed' },
      output: ({ context }) => ({ status: 'failed' as const, reason: context.reason ?? 'flow.effectFailed' }),
    },
    cancelled: {
      type: 'final',
      meta: { view: 'finished', outcome: 'cancelled' },
      output: ({ context }) => ({ status: 'cancelled' as const, reason: context.reason ?? 'flow.cancelled' }),
    },
  },
  output: ({ event }) => (event as DoneStateEvent<LinkSlackUserOutput>).output,
});
