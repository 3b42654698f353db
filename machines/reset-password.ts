import type { CodeChallengeEvent } from './shared/code-challenge.js';
import { assign, fromPromise, setup, type DoneStateEvent } from 'xstate';
import { flowActions, flowGuards, flowTypes } from './shared/common-actions.js';
import type {} from './shared/codes.js';
import type {
  CommitNewPasswordInput,
  CommitNewPasswordOutput,
  NotifyInput,
  RequestResetLinkInput,
  StageNewPasswordInput,
  StageNewPasswordOutput,
} from './shared/effects.js';
import { forwardCodeEvents, forwardTo } from './shared/delegate.js';
import {
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
import type { FieldError } from './shared/messages.js';
import type { MachineView, MetaOf } from './shared/view.js';
import {
  stepUpGateActions,
  stepUpGateGuards,
  stepUpMachine,
  stepUpState,
  type StepUpMethods,
  type StepUpOutput,
} from './step-up.js';

/**
 * SPEC 3.9, both halves in one machine. `request` (Slack or /forgot): login email → the same
 * answer whether or not an account has it. `page` (the web, after the link was opened): new
 * password twice → policy check (the hash is staged, the password never enters context) →
 * identity check with step-up (security mobile, verification email as alternate) → saved →
 * notification. The link expires with `linkExpiresAt`.
 */

export type ResetPasswordInput =
  | (FlowInputBase & { entry: 'request' })
  | (FlowInputBase & {
      entry: 'page';
      linkExpiresAt: number;
      privilegedWindowMs: number;
      methods: StepUpMethods;
    });

export interface ResetPasswordContext extends FlowContextBase {
  entry: 'request' | 'page';
  linkExpiresAt: number | null;
  privilegedWindowMs: number;
  methods: StepUpMethods;
  /** Policy rules the last new password broke, as catalog keys. */
  violations: FieldError[];
  stagings: number;
  /**
   * The end of the window this flow's own identity check opened: a new password chosen after
   * the directory refused the first one is saved without a second code while it lasts.
   */
  identityProvenUntil: number;
}

/** What this flow shows besides the common views, with the context each reads. */
export type ResetPasswordView = MachineView<'forgotPassword' | 'newPassword', ResetPasswordContext>;

export type ResetPasswordEvent =
  | { type: 'SUBMIT_LOGIN_EMAIL'; loginEmail: string; now: number }
  /** Both fields go straight into the staging actor's input; neither enters context. */
  | { type: 'SUBMIT_NEW_PASSWORD'; password: string; confirmation: string; now: number }
  | CodeChallengeEvent;

const stepUpDone = (event: unknown): StepUpOutput | undefined => outputOf<StepUpOutput>(event as TickEvent);

export const resetPasswordMachine = setup({
  types: flowTypes<ResetPasswordContext, ResetPasswordEvent, ResetPasswordInput, MetaOf<ResetPasswordView>>(),
  actors: {
    stepUp: stepUpMachine,
    requestResetLink: fromPromise<void, RequestResetLinkInput>(async () => notProvided('requestResetLink')),
    stageNewPassword: fromPromise<StageNewPasswordOutput, StageNewPasswordInput>(async () =>
      notProvided('stageNewPassword'),
    ),
    commitNewPassword: fromPromise<CommitNewPasswordOutput, CommitNewPasswordInput>(async () =>
      notProvided('commitNewPassword'),
    ),
    notify: fromPromise<void, NotifyInput>(async () => notProvided('notify')),
  },
  guards: {
    ...flowGuards,
    ...stepUpGateGuards,
    linkExpired: ({ context, event }) => isPast(context.linkExpiresAt, event),
    fromPage: ({ context }) => context.entry === 'page',
    passwordsDiffer: ({ event }) =>
      event.type === 'SUBMIT_NEW_PASSWORD' && event.password !== event.confirmation,
    staged: ({ event }) => outputOf<StageNewPasswordOutput>(event)?.outcome === 'staged',
    saved: ({ event }) => outputOf<CommitNewPasswordOutput>(event)?.outcome === 'saved',
    refusedByDirectory: ({ event }) => outputOf<CommitNewPasswordOutput>(event)?.outcome === 'refused',
  },
  actions: {
    ...flowActions<ResetPasswordContext, ResetPasswordEvent>(),
    ...stepUpGateActions<ResetPasswordContext, ResetPasswordEvent>(),
    keepIdentityWindow: assign(({ context, event }) => ({
      identityProvenUntil: stepUpDone(event)?.privilegedUntil ?? context.identityProvenUntil,
    })),
    countStaging: assign(({ context }) => ({ stagings: context.stagings + 1, violations: [] })),
    // A mismatched pair was never checked: the rules the previous pair broke say nothing of it.
    forgetViolations: assign({ violations: [] }),
    noteViolations: assign(({ event }) => {
      const output = outputOf<StageNewPasswordOutput | CommitNewPasswordOutput>(event);
      return {
        violations: output?.outcome === 'rejected' || output?.outcome === 'refused' ? output.violations : [],
      };
    }),
  },
}).createMachine({
  id: 'resetPassword',
  version: '3',
  context: ({ input }) => ({
    ...initialBase(input),
    entry: input.entry,
    linkExpiresAt: input.entry === 'page' ? input.linkExpiresAt : null,
    privilegedWindowMs: input.entry === 'page' ? input.privilegedWindowMs : 0,
    methods: input.entry === 'page' ? input.methods : { sms: false, email: false },
    violations: [],
    stagings: 0,
    identityProvenUntil: 0,
  }),
  initial: 'start',
  on: {
    CANCEL: { target: '.cancelled', actions: { type: 'setReason', params: { reason: 'flow.cancelled' } } },
    TICK: [
      {
        guard: 'linkExpired',
        target: '.failed',
        actions: { type: 'setReason', params: { reason: 'reset.linkInvalid' } },
      },
      {
        guard: 'idleExpired',
        target: '.failed',
        actions: { type: 'setReason', params: { reason: 'flow.idleExpired' } },
      },
    ],
  },
  states: {
    start: {
      meta: { view: 'working' },
      always: [{ guard: 'fromPage', target: 'newPassword' }, { target: 'enterLoginEmail' }],
    },
    enterLoginEmail: {
      meta: { view: 'forgotPassword' },
      entry: 'touch',
      on: { SUBMIT_LOGIN_EMAIL: { target: 'requestingLink' } },
    },
    requestingLink: {
      tags: ['busy'],
      meta: { view: 'working' },
      entry: 'touch',
      invoke: {
        id: 'requestResetLink',
        src: 'requestResetLink',
        input: ({ event }) => ({
          step: 'requestResetLink',
          loginEmail: event.type === 'SUBMIT_LOGIN_EMAIL' ? event.loginEmail : '',
        }),
        onDone: { target: 'done', actions: { type: 'setReason', params: { reason: 'reset.linkOnItsWay' } } },
        onError: failOnError,
      },
    },
    newPassword: {
      meta: { view: 'newPassword' },
      entry: 'touch',
      on: {
        SUBMIT_NEW_PASSWORD: [
          {
            guard: 'passwordsDiffer',
            actions: ['forgetViolations', { type: 'setNotice', params: { notice: 'password.mismatch' } }],
          },
          { target: 'stagingPassword' },
        ],
      },
    },
    stagingPassword: {
      tags: ['busy', 'holdsSecret'],
      meta: { view: 'working' },
      entry: ['touch', 'countStaging'],
      invoke: {
        id: 'stageNewPassword',
        src: 'stageNewPassword',
        input: ({ context, event }) => ({
          step: `stagePassword#${context.stagings}`,
          password: event.type === 'SUBMIT_NEW_PASSWORD' ? event.password : '',
        }),
        onDone: [
          { guard: 'staged', target: 'identityCheck' },
          { target: 'newPassword', actions: 'noteViolations' },
        ],
        onError: { target: 'newPassword', actions: 'recordError' },
      },
    },
    identityCheck: {
      // A reset proves identity afresh whatever window another flow opened; only its own counts.
      ...stepUpState(
        { target: 'committing', actions: 'keepIdentityWindow' },
        {
          purpose: 'reset-identity',
          windowUntil: (context: ResetPasswordContext) => context.identityProvenUntil,
        },
      ),
      on: {
        ...forwardCodeEvents('stepUp'),
        TICK: [
          {
            guard: 'linkExpired',
            target: 'failed',
            actions: { type: 'setReason', params: { reason: 'reset.linkInvalid' } },
          },
          forwardTo('stepUp'),
        ],
      },
    },
    committing: {
      tags: ['busy'],
      meta: { view: 'working' },
      invoke: {
        id: 'commitNewPassword',
        src: 'commitNewPassword',
        input: ({ context }) => ({ step: `commitPassword#${context.stagings}` }),
        onDone: [
          { guard: 'saved', target: 'notifying' },
          // The directory applies its own policy only when it sets the password: choose another.
          { guard: 'refusedByDirectory', target: 'newPassword', actions: 'noteViolations' },
          { target: 'failed', actions: { type: 'setReason', params: { reason: 'reset.linkInvalid' } } },
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
        input: () => ({ step: 'notifyPasswordReset', kind: 'passwordReset' as const }),
        onDone: {
          target: 'done',
          actions: { type: 'setReason', params: { reason: 'reset.passwordSaved' } },
        },
        // The password is saved; a lost notification must not hide that.
        onError: {
          target: 'done',
          actions: ['recordError', { type: 'setReason', params: { reason: 'change.savedNotifyFailed' } }],
        },
      },
    },
    done: finalState('done', 'flow.completed'),
    failed: finalState('failed'),
    cancelled: finalState('cancelled'),
  },
  output: ({ event }) => finalOutput(event as DoneStateEvent<FlowOutput>),
});
