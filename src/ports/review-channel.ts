/**
 * Where identity reviewers work (SPEC §3.10): each filed submission becomes a card with
 * Approve / Reject, the card shows the decision once it is taken, and overdue submissions
 * get a reminder. The Slack review channel implements it; without one the app still runs
 * and decisions can only come from elsewhere.
 *
 * The engine calls `postSubmission` once the submission is filed and `updateDecision` once
 * the decision is recorded; both are idempotent per submission, so an effect that XState
 * re-runs after a restore posts one card and updates it, never two.
 */
export interface ReviewSubmissionNotice {
  submissionId: string;
  accountId: string;
  /** The flow that waits for the decision: reviewer buttons send their event to it. */
  owner: string;
  flowId: string;
  /** The decision date the person was shown (epoch ms); past it the review is overdue. */
  expectedBy: number;
}

export interface ReviewDecisionNotice {
  submissionId: string;
  decision: 'approved' | 'rejected';
  /** The reviewer's Slack user id. */
  reviewerId: string;
  /** Required for a rejection; shown on the card and to the person. */
  reason?: string;
  at: number;
}

export interface ReviewReminder {
  submissionId: string;
  accountId: string;
}

export interface ReviewChannel {
  postSubmission(notice: ReviewSubmissionNotice): Promise<void>;
  updateDecision(notice: ReviewDecisionNotice): Promise<void>;
  /** Serves `remindReviewers` of the reminder jobs and the machine's overdue notice. */
  remindOverdue(reminder: ReviewReminder): Promise<void>;
}
