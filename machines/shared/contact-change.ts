import { assign, fromPromise, setup, type DoneStateEvent } from 'xstate';
import { flowActions, flowGuards, flowTypes } from './common-actions.js';
import { forwardingTo } from './delegate.js';
import {
  keepWindowAction,
  stepUpGateActions,
  stepUpGateGuards,
  stepUpMachine,
  stepUpState,
  type StepUpGateInput,
} from '../step-up.js';
import type { AccountAddressField, CodeChannel, CodePurpose } from './codes.js';
import { codeChallengeMachine, type CodeChallengeEvent, type CodeChallengeOutput } from './code-challenge.js';
import { forwardCodeEvents } from './delegate.js';
import type {
  CheckValueInput,
  CheckValueOutput,
  NotifyInput,
  NotifyKind,
  SaveChangeInput,
  SaveChangeOutput,
} from './effects.js';
import {
  finalOutput,
  initialBase,
  notProvided,
  outputOf,
  type FlowContextBase,
  type FlowInputBase,
  type FlowOutput,
} from './flow.js';
import type { FieldError, FlowMessageKey } from './messages.js';
import type { MachineView, MetaOf } from './view.js';

/**
 * What SPEC 3.3–3.7 share: (step-up) → new address → check → code challenge to the new
 * address → save (→ tell the old one). Each flow is its own machine in its own file, built
 * from this setup and these states; the code loop itself is the code-challenge child.
 */

/** The step-up fields are used only by flows that step up. */
export type ContactChangeInput = FlowInputBase & StepUpGateInput;

export interface ContactChangeContext extends FlowContextBase, StepUpGateInput {
  /** The normalised new address; not a secret. */
  newValue: string | null;
  /** Kept for the code step only; never shown. */
  taken: boolean;
  savedUnverified: boolean;
  /** What a validator found wrong with the new address. */
  fieldError: FieldError | null;
  /** Counts addresses entered, so each one's effects are their own idempotent steps. */
  entries: number;
}

/** What this flow shows besides the common views and its code challenge's, with the context it reads. */
export type ContactChangeView = MachineView<'enterValue', ContactChangeContext>;

interface SubmitValueEvent {
  type: 'SUBMIT_VALUE';
  value: string;
  now: number;
}

interface EditValueEvent {
  type: 'EDIT_VALUE';
  now: number;
}

export type ContactChangeEvent = SubmitValueEvent | EditValueEvent | CodeChallengeEvent;

const challengeDone = (event: unknown): CodeChallengeOutput | undefined =>
  outputOf<CodeChallengeOutput>(event as DoneStateEvent);

export const contactChange = setup({
  types: flowTypes<ContactChangeContext, ContactChangeEvent, ContactChangeInput, MetaOf<ContactChangeView>>(),
  actors: {
    stepUp: stepUpMachine,
    codeChallenge: codeChallengeMachine,
    checkValue: fromPromise<CheckValueOutput, CheckValueInput>(async () => notProvided('checkValue')),
    saveChange: fromPromise<SaveChangeOutput, SaveChangeInput>(async () => notProvided('saveChange')),
    notify: fromPromise<void, NotifyInput>(async () => notProvided('notify')),
  },
  guards: {
    ...flowGuards,
    ...stepUpGateGuards,
    valueAccepted: ({ event }) => outputOf<CheckValueOutput>(event)?.outcome === 'ok',
    codeVerifiedButTaken: ({ context, event }) => challengeDone(event)?.status === 'done' && context.taken,
    codeVerified: ({ event }) => challengeDone(event)?.status === 'done',
    noCodeSent: ({ event }) => challengeDone(event)?.codeSent === false,
    saved: ({ event }) => outputOf<SaveChangeOutput>(event)?.outcome === 'saved',
    saveRefused: ({ event }) => outputOf<SaveChangeOutput>(event)?.outcome === 'refused',
  },
  actions: {
    ...flowActions<ContactChangeContext, ContactChangeEvent>(),
    ...stepUpGateActions<ContactChangeContext, ContactChangeEvent>(),
    keepWindow: keepWindowAction<ContactChangeContext, ContactChangeEvent>(),
    forwardToCodeChallenge: forwardingTo<ContactChangeContext, ContactChangeEvent>('codeChallenge'),
    countEntry: assign(({ context }) => ({ entries: context.entries + 1 })),
    storeValue: assign(({ event }) => {
      const output = outputOf<CheckValueOutput>(event);
      return output?.outcome === 'ok'
        ? { newValue: output.value, taken: output.taken, fieldError: null }
        : {};
    }),
    noteInvalidValue: assign(({ event }) => {
      const output = outputOf<CheckValueOutput>(event);
      return { fieldError: output?.outcome === 'invalid' ? output.error : null };
    }),
    markSavedUnverified: assign({ savedUnverified: true }),
    // Said beside the address, which may be changed and tried again (or the flow cancelled).
    noteSaveRefused: assign(({ event }) => {
      const output = outputOf<SaveChangeOutput>(event);
      return { fieldError: output?.outcome === 'refused' ? output.error : null };
    }),
    // The code never went out: say why beside the address, which may be changed and tried again.
    noteChallengeRefused: assign(({ event }) => ({
      notice: challengeDone(event)?.reason ?? 'flow.effectFailed',
    })),
    // An address saved unverified stays; timing out reminds the person to verify it.
    takeChallengeReason: assign(({ context, event }) => {
      const reason = challengeDone(event)?.reason ?? 'flow.effectFailed';
      const reminder = context.savedUnverified && reason === 'flow.idleExpired';
      return { reason: reminder ? ('contactEmail.savedUnverified' as const) : reason };
    }),
    endEarly: assign(({ context }, params: { reason: FlowMessageKey }) => ({
      reason: context.savedUnverified ? ('contactEmail.savedUnverified' as const) : params.reason,
    })),
  },
});

export const contactChangeContext = ({ input }: { input: ContactChangeInput }): ContactChangeContext => ({
  ...initialBase(input),
  privilegedUntil: input.privilegedUntil,
  privilegedWindowMs: input.privilegedWindowMs,
  methods: input.methods,
  newValue: null,
  taken: false,
  savedUnverified: false,
  fieldError: null,
  entries: 0,
});

/** Cancel and the idle timeout, from anywhere in the flow. */
export const contactChangeEndings = {
  CANCEL: { target: '.cancelled', actions: { type: 'endEarly', params: { reason: 'flow.cancelled' } } },
  TICK: {
    guard: 'idleExpired',
    target: '.failed',
    actions: { type: 'endEarly', params: { reason: 'flow.idleExpired' } },
  },
} as const;

export const contactChangeOutput = ({ event }: { event: unknown }): FlowOutput =>
  finalOutput(event as DoneStateEvent<FlowOutput>);

/** SPEC 3.1 first; skipped while the privileged window is open. */
export const stepUpFirst = (next: 'enterValue') =>
  stepUpState(
    { target: next, actions: 'keepWindow' },
    { purpose: 'step-up', windowUntil: (context: ContactChangeContext) => context.privilegedUntil },
  );

export function enterValue(field: AccountAddressField) {
  return {
    meta: { view: 'enterValue', field },
    entry: 'touch',
    on: { SUBMIT_VALUE: { target: 'checkingValue' } },
  } as const;
}

export function checkingValue(field: AccountAddressField, next: 'confirming' | 'savingUnverified') {
  return {
    tags: ['busy'],
    meta: { view: 'working' },
    entry: ['touch', 'countEntry'],
    invoke: {
      id: 'checkValue',
      src: 'checkValue',
      input: ({ context, event }: { context: ContactChangeContext; event: ContactChangeEvent }) => ({
        step: `checkValue#${context.entries}`,
        field,
        value: event.type === 'SUBMIT_VALUE' ? event.value : '',
      }),
      onDone: [
        { guard: 'valueAccepted', target: next, actions: 'storeValue' },
        { target: 'enterValue', actions: 'noteInvalidValue' },
      ],
      onError: { target: 'enterValue', actions: 'recordError' },
    },
  } as const;
}

/** The code challenge to the new address; the person may go back and enter another. */
export function confirming(
  code: { purpose: CodePurpose; channel: CodeChannel; field: AccountAddressField },
  verified: { target: 'saving' } | { target: 'saving'; unlessTaken: FlowMessageKey },
) {
  return {
    meta: { view: 'delegated', child: 'codeChallenge' },
    invoke: {
      id: 'codeChallenge',
      src: 'codeChallenge',
      input: ({ context }: { context: ContactChangeContext }) => ({
        now: context.seenAt,
        idleTimeoutMs: context.idleTimeoutMs,
        purpose: code.purpose,
        channel: code.channel,
        target: { kind: 'new' as const, field: code.field, value: context.newValue ?? '' },
        alternate: null,
        exhaustedEnds: false,
        round: context.entries,
      }),
      onDone: [
        ...('unlessTaken' in verified
          ? [
              {
                guard: 'codeVerifiedButTaken' as const,
                target: 'failed',
                actions: { type: 'setReason' as const, params: { reason: verified.unlessTaken } },
              },
            ]
          : []),
        { guard: 'codeVerified', target: verified.target },
        { guard: 'noCodeSent', target: 'enterValue', actions: 'noteChallengeRefused' },
        { target: 'failed', actions: 'takeChallengeReason' },
      ],
      onError: { target: 'enterValue', actions: 'recordError' },
    },
    on: { ...forwardCodeEvents('codeChallenge'), EDIT_VALUE: { target: 'enterValue' } },
  } as const;
}

/** 3.5: the address is kept unverified (it gets no messages yet) before its code goes out. */
export function savingUnverified(field: AccountAddressField) {
  return savingValue(field, false, {
    saved: { target: 'confirming', actions: 'markSavedUnverified' },
    conflict: { target: 'enterValue', actions: { type: 'setNotice', params: { notice: 'change.conflict' } } },
  });
}

/** The confirmed address is saved; `conflict` ends the flow when it became unusable meanwhile. */
export function saving(field: AccountAddressField, next: 'done' | 'notifying', conflict: FlowMessageKey) {
  return savingValue(field, true, {
    saved: { target: next, actions: { type: 'setReason', params: { reason: 'change.saved' } } },
    conflict: { target: 'failed', actions: { type: 'setReason', params: { reason: conflict } } },
  });
}

function savingValue<const Saved, const Conflict>(
  field: AccountAddressField,
  verified: boolean,
  then: { saved: Saved; conflict: Conflict },
) {
  return {
    tags: ['busy'],
    meta: { view: 'working' },
    invoke: {
      id: 'saveChange',
      src: 'saveChange',
      input: ({ context }: { context: ContactChangeContext }) => ({
        step: `${verified ? 'save' : 'saveUnverified'}#${context.entries}`,
        field,
        value: context.newValue ?? '',
        verified,
      }),
      onDone: [
        { guard: 'saved', ...then.saved },
        { guard: 'saveRefused', target: 'enterValue', actions: 'noteSaveRefused' },
        then.conflict,
      ],
      // Nothing was written: the person starts again from the address, told what happened.
      onError: { target: 'enterValue', actions: 'recordError' },
    },
  } as const;
}

/** Tells the previous address. The change is saved: a lost notification must not undo or hide that. */
export function notifyingPrevious(kind: NotifyKind) {
  return {
    tags: ['busy'],
    meta: { view: 'working' },
    invoke: {
      id: 'notify',
      src: 'notify',
      input: () => ({ step: 'notifyPrevious', kind }),
      onDone: { target: 'done' },
      onError: {
        target: 'done',
        actions: ['recordError', { type: 'setReason', params: { reason: 'change.savedNotifyFailed' } }],
      },
    },
  } as const;
}
