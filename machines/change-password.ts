import type { CodeChallengeEvent } from './shared/code-challenge.js';
import { assign, fromPromise, setup, type DoneStateEvent } from 'xstate';
import { flowActions, flowGuards, flowTypes } from './shared/common-actions.js';
import type {
  ChangePasswordOnPageInput,
  ChangePasswordOnPageOutput,
  MintPasswordLinkInput,
  MintPasswordLinkOutput,
  NotifyInput,
} from './shared/effects.js';
import {
  cancelOrIdle,
  failOnError,
  finalOutput,
  finalState,
  initialBase,
  isPast,
  notProvided,
  outputOf,
  type FlowContextBase,
  type FlowInputBase,
  type FlowOutput,
  type TickEvent,
} from './shared/flow.js';
import type { MachineView, MetaOf } from './shared/view.js';
import {
  keepWindowAction,
  stepUpGateActions,
  stepUpGateGuards,
  stepUpMachine,
  stepUpState,
  type StepUpGateInput,
} from './step-up.js';
import type {} from './shared/codes.js';

/**
 * SPEC 3.8: needs a login email; step-up → a button to the single-use change-password page
 * (10 minutes) → the page sends the current and new passwords here, the `changePasswordOnPage`
 * effect checks and saves them → DM and email notification. Passwords never reach Slack, and
 * here only the effect's input while a `holdsSecret` state runs (never persisted).
 */

export interface ChangePasswordInput extends FlowInputBase, StepUpGateInput {
  hasLoginEmail: boolean;
}

export interface ChangePasswordContext extends FlowContextBase, StepUpGateInput {
  hasLoginEmail: boolean;
  /** A handle to the page link (the adapter renders the URL from it); never the token. */
  link: MintPasswordLinkOutput | null;
  mints: number;
  /** What the page's latest submission came to while the page stays open; the page renders it. */
  pageAnswer: PageAnswer | null;
  /** When five wrong current passwords end the flow: the cooldown's end, for the page. */
  cooldownUntil: number | null;
}

/** What this flow shows besides the common views, with the context each reads. */
export type ChangePasswordView = MachineView<
  'openPasswordPage' | 'passwordLinkExpired',
  ChangePasswordContext
>;

/** A submission the page keeps taking: refused with catalog keys, or not saved for now. */
export type PageAnswer = Extract<ChangePasswordOnPageOutput, { outcome: 'refused' | 'held' | 'unavailable' }>;

/** The page's form: the current password and the new one twice (holds secrets). */
interface SubmitPasswordsEvent {
  type: 'SUBMIT_PASSWORDS';
  current: string;
  password: string;
  confirmation: string;
  now: number;
}

export type ChangePasswordEvent =
  { type: 'RENEW_LINK'; now: number } | SubmitPasswordsEvent | CodeChallengeEvent;

const pageOutcome = (event: unknown): ChangePasswordOnPageOutput | undefined =>
  outputOf<ChangePasswordOnPageOutput>(event as TickEvent);

const asPageAnswer = (output: ChangePasswordOnPageOutput | undefined): PageAnswer | null =>
  output?.outcome === 'refused' || output?.outcome === 'held' || output?.outcome === 'unavailable'
    ? output
    : null;

export const changePasswordMachine = setup({
  types: flowTypes<
    ChangePasswordContext,
    ChangePasswordEvent,
    ChangePasswordInput,
    MetaOf<ChangePasswordView>
  >(),
  actors: {
    stepUp: stepUpMachine,
    mintPasswordLink: fromPromise<MintPasswordLinkOutput, MintPasswordLinkInput>(async () =>
      notProvided('mintPasswordLink'),
    ),
    changePasswordOnPage: fromPromise<ChangePasswordOnPageOutput, ChangePasswordOnPageInput>(async () =>
      notProvided('changePasswordOnPage'),
    ),
    notify: fromPromise<void, NotifyInput>(async () => notProvided('notify')),
  },
  guards: {
    ...flowGuards,
    ...stepUpGateGuards,
    noLoginEmail: ({ context }) => !context.hasLoginEmail,
    linkExpired: ({ context, event }) => isPast(context.link?.expiresAt, event),
    passwordChanged: ({ event }) => pageOutcome(event)?.outcome === 'changed',
    cooledDown: ({ event }) => pageOutcome(event)?.outcome === 'cooledDown',
  },
  actions: {
    ...flowActions<ChangePasswordContext, ChangePasswordEvent>(),
    ...stepUpGateActions<ChangePasswordContext, ChangePasswordEvent>(),
    keepWindow: keepWindowAction<ChangePasswordContext, ChangePasswordEvent>(),
    countMint: assign(({ context }) => ({ mints: context.mints + 1 })),
    storeLink: assign(({ event }) => ({ link: outputOf<MintPasswordLinkOutput>(event) ?? null })),
    keepPageAnswer: assign(({ event }) => ({ pageAnswer: asPageAnswer(pageOutcome(event)) })),
    keepCooldown: assign(({ event }) => {
      const output = pageOutcome(event);
      return { cooldownUntil: output?.outcome === 'cooledDown' ? output.retryAt : null };
    }),
    clearPageAnswer: assign({ pageAnswer: null, notice: null }),
  },
}).createMachine({
  id: 'changePassword',
  version: '3',
  context: ({ input }) => ({
    ...initialBase(input),
    hasLoginEmail: input.hasLoginEmail,
    privilegedUntil: input.privilegedUntil,
    privilegedWindowMs: input.privilegedWindowMs,
    methods: input.methods,
    link: null,
    mints: 0,
    pageAnswer: null,
    cooldownUntil: null,
  }),
  initial: 'start',
  on: cancelOrIdle,
  states: {
    start: {
      meta: { view: 'working' },
      always: [
        {
          guard: 'noLoginEmail',
          target: 'failed',
          actions: { type: 'setReason', params: { reason: 'password.needsLoginEmail' } },
        },
        { target: 'stepUp' },
      ],
    },
    stepUp: stepUpState(
      { target: 'mintingLink', actions: 'keepWindow' },
      { purpose: 'step-up', windowUntil: (context: ChangePasswordContext) => context.privilegedUntil },
    ),
    mintingLink: {
      tags: ['busy'],
      meta: { view: 'working' },
      entry: ['touch', 'countMint'],
      invoke: {
        id: 'mintPasswordLink',
        src: 'mintPasswordLink',
        input: ({ context }) => ({ step: `mintLink#${context.mints}` }),
        onDone: { target: 'awaitingPage', actions: 'storeLink' },
        onError: failOnError,
      },
    },
    awaitingPage: {
      meta: { view: 'openPasswordPage' },
      entry: 'touch',
      on: {
        SUBMIT_PASSWORDS: { target: 'changing' },
        RENEW_LINK: { target: 'mintingLink' },
        TICK: { guard: 'linkExpired', target: 'linkExpired' },
      },
    },
    changing: {
      tags: ['busy', 'holdsSecret'],
      meta: { view: 'working' },
      entry: ['touch', 'clearPageAnswer'],
      invoke: {
        id: 'changePasswordOnPage',
        src: 'changePasswordOnPage',
        input: ({ event }) => ({
          step: 'changePassword',
          current: event.type === 'SUBMIT_PASSWORDS' ? event.current : '',
          password: event.type === 'SUBMIT_PASSWORDS' ? event.password : '',
          confirmation: event.type === 'SUBMIT_PASSWORDS' ? event.confirmation : '',
        }),
        onDone: [
          { guard: 'passwordChanged', target: 'notifying' },
          {
            guard: 'cooledDown',
            target: 'failed',
            actions: [
              'keepCooldown',
              { type: 'setReason', params: { reason: 'password.currentPasswordCooldown' } },
            ],
          },
          { target: 'awaitingPage', actions: 'keepPageAnswer' },
        ],
        // Nothing was saved: the page stays open and says so.
        onError: { target: 'awaitingPage', actions: 'recordError' },
      },
    },
    linkExpired: {
      meta: { view: 'passwordLinkExpired' },
      entry: 'touch',
      // Back through step-up: it is skipped while the privileged window is still open.
      on: { RENEW_LINK: { target: 'stepUp' } },
    },
    notifying: {
      tags: ['busy'],
      meta: { view: 'working' },
      invoke: {
        id: 'notify',
        src: 'notify',
        input: () => ({ step: 'notifyPasswordChanged', kind: 'passwordChanged' as const }),
        onDone: {
          target: 'done',
          actions: { type: 'setReason', params: { reason: 'password.changed' } },
        },
        // The password is changed; a lost notification must not hide that.
        onError: {
          target: 'done',
          actions: ['recordError', { type: 'setReason', params: { reason: 'change.savedNotifyFailed' } }],
        },
      },
    },
    done: finalState('done', 'password.changed'),
    failed: finalState('failed'),
    cancelled: finalState('cancelled'),
  },
  output: ({ event }) => finalOutput(event as DoneStateEvent<FlowOutput>),
});
