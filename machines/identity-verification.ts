import { assign, fromPromise, setup, type DoneStateEvent } from 'xstate';
import { flowActions, flowGuards, flowTypes } from './shared/common-actions.js';
import type {
  IdentityDetails,
  IdentitySubject,
  NotifyInput,
  RecordReviewInput,
  ReviewDecision,
  SubmitIdentityInput,
  SubmitIdentityOutput,
} from './shared/effects.js';
import {
  cancelOrIdle,
  finalOutput,
  finalState,
  initialBase,
  isPast,
  notProvided,
  outputOf,
  type CancelEvent,
  type FlowContextBase,
  type FlowInputBase,
  type FlowOutput,
  type TickEvent,
} from './shared/flow.js';
import type { FieldErrors } from './shared/messages.js';
import type { MachineView, MetaOf } from './shared/view.js';

/**
 * SPEC 3.10: individual or organization → the two warnings, acknowledged → form → submitted
 * (one account per document number, checked by the actor) → pending review, parked for the
 * days it takes → a reviewer approves, or rejects with a reason → the person hears by DM,
 * email and SMS → a rejected submission may be sent again. A verified account's new
 * submission stays pending while the old status holds (the service keeps both).
 */

type IdentityStatus = 'unverified' | 'pending' | 'verified' | 'rejected';

export interface IdentityVerificationInput extends FlowInputBase {
  currentStatus: IdentityStatus;
}

export interface IdentityVerificationContext extends FlowContextBase {
  currentStatus: IdentityStatus;
  subject: IdentitySubject | null;
  fieldErrors: FieldErrors;
  submissionId: string | null;
  /** Expected decision date shown to the person (epoch ms); reviewers are reminded after it. */
  expectedBy: number | null;
  reminded: boolean;
  /** The reviewer's decision, its reason shown to the person when rejected. */
  decision: ReviewDecision | null;
  reviewerId: string | null;
  submissions: number;
}

/** What this flow shows besides the common views, with the context each reads. */
export type IdentityVerificationView = MachineView<
  'identitySubject' | 'identityWarnings' | 'identityForm' | 'identityPending' | 'identityRejected',
  IdentityVerificationContext
>;

/**
 * Reviewer events come from the review channel's Approve / Reject; the engine lets only
 * configured reviewers send them.
 */
type ReviewEvent =
  | { type: 'REVIEW_APPROVE'; reviewerId: string; now: number }
  | { type: 'REVIEW_REJECT'; reviewerId: string; reason: string; now: number };

export type IdentityVerificationEvent =
  | { type: 'CHOOSE_SUBJECT'; subject: IdentitySubject; now: number }
  | { type: 'ACKNOWLEDGE_WARNINGS'; now: number }
  | { type: 'BACK'; now: number }
  /** The document number goes straight into the submit actor's input, never into context. */
  | { type: 'SUBMIT_IDENTITY'; details: IdentityDetails; now: number }
  | { type: 'RESUBMIT'; now: number }
  | { type: 'CLOSE'; now: number }
  | ReviewEvent
  | TickEvent
  | CancelEvent;

export const identityVerificationMachine = setup({
  types: flowTypes<
    IdentityVerificationContext,
    IdentityVerificationEvent,
    IdentityVerificationInput,
    MetaOf<IdentityVerificationView>
  >(),
  actors: {
    submitIdentity: fromPromise<SubmitIdentityOutput, SubmitIdentityInput>(async () =>
      notProvided('submitIdentity'),
    ),
    recordReview: fromPromise<void, RecordReviewInput>(async () => notProvided('recordReview')),
    notify: fromPromise<void, NotifyInput>(async () => notProvided('notify')),
  },
  guards: {
    ...flowGuards,
    submitted: ({ event }) => outputOf<SubmitIdentityOutput>(event)?.outcome === 'submitted',
    hasReason: ({ event }) => event.type === 'REVIEW_REJECT' && event.reason.trim().length > 0,
    overdueUnreminded: ({ context, event }) => !context.reminded && isPast(context.expectedBy, event),
    approved: ({ context }) => context.decision?.decision === 'approved',
  },
  actions: {
    ...flowActions<IdentityVerificationContext, IdentityVerificationEvent>(),
    // Waiting on reviewers for days is not idling.
    park: assign({ idleDeadline: null }),
    chooseSubject: assign(({ event }) => ({
      subject: event.type === 'CHOOSE_SUBJECT' ? event.subject : null,
    })),
    countSubmission: assign(({ context }) => ({ submissions: context.submissions + 1, fieldErrors: {} })),
    storeSubmission: assign(({ event }) => {
      const output = outputOf<SubmitIdentityOutput>(event);
      return output?.outcome === 'submitted'
        ? {
            submissionId: output.submissionId,
            expectedBy: output.expectedBy,
            reminded: false,
            decision: null,
          }
        : {};
    }),
    noteFieldErrors: assign(({ event }) => {
      const output = outputOf<SubmitIdentityOutput>(event);
      return { fieldErrors: output?.outcome === 'invalid' ? output.fieldErrors : {} };
    }),
    takeDecision: assign(({ event }) => {
      if (event.type === 'REVIEW_APPROVE')
        return { decision: { decision: 'approved' as const }, reviewerId: event.reviewerId };
      if (event.type === 'REVIEW_REJECT') {
        return {
          decision: { decision: 'rejected' as const, reason: event.reason.trim() },
          reviewerId: event.reviewerId,
        };
      }
      return {};
    }),
    forgetDecision: assign({ decision: null, reviewerId: null }),
    markReminded: assign({ reminded: true }),
  },
}).createMachine({
  id: 'identityVerification',
  version: '2',
  context: ({ input }) => ({
    ...initialBase(input),
    currentStatus: input.currentStatus,
    subject: null,
    fieldErrors: {},
    submissionId: null,
    expectedBy: null,
    reminded: false,
    decision: null,
    reviewerId: null,
    submissions: 0,
  }),
  initial: 'chooseSubject',
  on: cancelOrIdle,
  states: {
    chooseSubject: {
      meta: { view: 'identitySubject' },
      entry: 'touch',
      on: { CHOOSE_SUBJECT: { target: 'warnings', actions: 'chooseSubject' } },
    },
    warnings: {
      meta: { view: 'identityWarnings' },
      entry: 'touch',
      on: {
        ACKNOWLEDGE_WARNINGS: { target: 'form' },
        BACK: { target: 'chooseSubject' },
      },
    },
    form: {
      meta: { view: 'identityForm' },
      entry: 'touch',
      on: {
        SUBMIT_IDENTITY: { target: 'submitting' },
        BACK: { target: 'warnings' },
      },
    },
    submitting: {
      tags: ['busy', 'holdsSecret'],
      meta: { view: 'working' },
      entry: ['touch', 'countSubmission'],
      invoke: {
        id: 'submitIdentity',
        src: 'submitIdentity',
        input: ({ context, event }) => ({
          step: `submitIdentity#${context.submissions}`,
          // SUBMIT_IDENTITY is the only way in.
          details: (event as Extract<IdentityVerificationEvent, { type: 'SUBMIT_IDENTITY' }>).details,
        }),
        onDone: [
          {
            guard: 'submitted',
            target: 'pendingReview',
            actions: ['storeSubmission', { type: 'setNotice', params: { notice: 'identity.submitted' } }],
          },
          { target: 'form', actions: 'noteFieldErrors' },
        ],
        onError: { target: 'form', actions: 'recordError' },
      },
    },
    pendingReview: {
      tags: ['parked'],
      meta: { view: 'identityPending' },
      entry: 'park',
      on: {
        REVIEW_APPROVE: { target: 'recordingDecision', actions: 'takeDecision' },
        REVIEW_REJECT: [
          { guard: 'hasReason', target: 'recordingDecision', actions: 'takeDecision' },
          { actions: { type: 'setNotice', params: { notice: 'identity.rejectReasonRequired' } } },
        ],
        TICK: { guard: 'overdueUnreminded', target: 'remindingReviewers' },
      },
    },
    remindingReviewers: {
      tags: ['busy', 'parked'],
      meta: { view: 'working' },
      invoke: {
        id: 'notify',
        src: 'notify',
        input: ({ context }) => ({
          step: `remindReviewers#${context.submissions}`,
          kind: 'identityReviewOverdue' as const,
        }),
        onDone: { target: 'pendingReview', actions: 'markReminded' },
        // Not marked: the next TICK tries the reminder again.
        onError: { target: 'pendingReview', actions: 'recordError' },
      },
    },
    recordingDecision: {
      tags: ['busy', 'parked'],
      meta: { view: 'working' },
      invoke: {
        id: 'recordReview',
        src: 'recordReview',
        input: ({ context }) => ({
          step: `recordReview#${context.submissions}`,
          submissionId: context.submissionId ?? '',
          reviewerId: context.reviewerId ?? '',
          decision: context.decision ?? { decision: 'approved' },
        }),
        onDone: { target: 'announcing' },
        onError: {
          target: 'pendingReview',
          actions: [
            'recordError',
            'forgetDecision',
            { type: 'setNotice', params: { notice: 'identity.reviewFailed' } },
          ],
        },
      },
    },
    announcing: {
      tags: ['busy', 'parked'],
      meta: { view: 'working' },
      invoke: {
        id: 'notify',
        src: 'notify',
        input: ({ context }) => ({
          step: `announceDecision#${context.submissions}`,
          ...(context.submissionId ? { submissionId: context.submissionId } : {}),
          kind:
            context.decision?.decision === 'approved'
              ? ('identityApproved' as const)
              : ('identityRejected' as const),
        }),
        onDone: [
          {
            guard: 'approved',
            target: 'done',
            actions: { type: 'setReason', params: { reason: 'identity.verified' } },
          },
          { target: 'rejected' },
        ],
        // The decision is recorded; the person still sees it here and in App Home.
        onError: [
          {
            guard: 'approved',
            target: 'done',
            actions: ['recordError', { type: 'setReason', params: { reason: 'identity.verified' } }],
          },
          { target: 'rejected', actions: 'recordError' },
        ],
      },
    },
    rejected: {
      tags: ['parked'],
      meta: { view: 'identityRejected' },
      entry: 'park',
      on: {
        RESUBMIT: { target: 'chooseSubject' },
        CLOSE: { target: 'done', actions: { type: 'setReason', params: { reason: 'identity.rejected' } } },
      },
    },
    done: finalState('done', 'identity.submitted'),
    failed: finalState('failed'),
    cancelled: finalState('cancelled'),
  },
  output: ({ event }) => finalOutput(event as DoneStateEvent<FlowOutput>),
});
