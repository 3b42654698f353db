import type { webApi } from '@slack/bolt';
import { TemporarilyUnavailableError } from '../../core/errors.js';
import { accountIdOfSubmission } from '../../domain/account.js';
import type { SlackPersonRef } from '../../services/support.js';
import type { SlackDependencies } from '../dependencies.js';
import type { SlackRoster } from '../support/roster.js';
import { errorText } from '../support/support-kit.js';
import type { SlackReviewChannel } from './review-channel.js';
import { slackOwner } from '../../domain/flow-owner.js';

export type ReviewerDecision = { decision: 'approved' } | { decision: 'rejected'; reason: string };

export type DecisionOutcome =
  'decided' | 'not-reviewer' | 'own-account' | 'already-decided' | 'gone' | 'unavailable' | 'failed';

export interface ReviewDesk {
  deps: SlackDependencies;
  client: webApi.WebClient;
  reviewers: SlackRoster;
  channel: SlackReviewChannel;
}

/** Only configured reviewers of the configured workspace decide. */
export async function isReviewer(desk: ReviewDesk, person: SlackPersonRef): Promise<boolean> {
  return person.teamId === desk.deps.slack.teamId && (await desk.reviewers.includes(person.userId));
}

/**
 * True when the submission is the reviewer's own account's. Accounts are compared, not Slack
 * users: one account can be linked to several Slack users, so a second identity of the
 * applicant must not decide (or view) the submission either.
 */
export async function isOwnSubmission(
  desk: ReviewDesk,
  reviewer: SlackPersonRef,
  submission: { accountId: string },
): Promise<boolean> {
  const own = await desk.deps.stores.directory.getBySlackUser(reviewer.teamId, reviewer.userId);
  return own?.accountId === submission.accountId;
}

/** Audits a refused reviewer action under the account, never the submission id (its hex reads as a code). */
export async function auditRefusal(
  desk: ReviewDesk,
  reviewer: SlackPersonRef,
  action: string,
  submissionId: string,
  reason: 'not-reviewer' | 'own-account',
): Promise<void> {
  const accountId = accountIdOfSubmission(submissionId);
  await desk.deps.stores.audit.record({
    actor: slackOwner(reviewer),
    action,
    outcome: 'refused',
    ...(accountId !== null ? { accountId } : {}),
    detail: { reason },
  });
}

/**
 * A reviewer's decision goes to the flow that waits for it, through the engine, so the
 * machine records it and tells the person by DM, email and SMS. The card is updated once
 * the directory shows the decision; a second click finds it decided and changes nothing.
 */
export async function decideReview(
  desk: ReviewDesk,
  reviewer: SlackPersonRef,
  submissionId: string,
  decision: ReviewerDecision,
): Promise<DecisionOutcome> {
  const { deps, channel } = desk;
  try {
    if (!(await isReviewer(desk, reviewer))) {
      await auditRefusal(desk, reviewer, 'review.decide', submissionId, 'not-reviewer');
      return 'not-reviewer';
    }
    const card = await channel.cardOf(submissionId);
    const before = await deps.stores.directory.getSubmission(submissionId);
    if (card === null || before === null) return 'gone';
    if (await isOwnSubmission(desk, reviewer, before)) {
      await auditRefusal(desk, reviewer, 'review.decide', submissionId, 'own-account');
      return 'own-account';
    }
    if (before.status !== 'pending') return 'already-decided';

    const result = await deps.engine.send(
      card.owner,
      card.flowId,
      decision.decision === 'approved'
        ? { type: 'REVIEW_APPROVE', reviewerId: reviewer.userId }
        : { type: 'REVIEW_REJECT', reviewerId: reviewer.userId, reason: decision.reason },
    );
    switch (result.status) {
      case 'unavailable':
        return 'unavailable';
      case 'missing':
      case 'expired':
      case 'ended':
        return 'gone';
      case 'already-handled':
        return 'already-decided';
      case 'conflict':
        return 'failed';
      case 'active':
      case 'finished':
        break;
    }
    const after = await deps.stores.directory.getSubmission(submissionId);
    if (after === null || after.status === 'pending') return 'failed';
    // Two reviewers may click at once: the card names whoever the directory recorded.
    const recordedReviewer = slackUserIdIn(after.decision?.reviewer) ?? reviewer.userId;
    await channel.updateDecision({
      submissionId,
      decision: after.status === 'approved' ? 'approved' : 'rejected',
      reviewerId: recordedReviewer,
      at: after.decision?.at ?? deps.clock.now(),
      ...(after.decision?.reason !== undefined ? { reason: after.decision.reason } : {}),
    });
    return recordedReviewer === reviewer.userId ? 'decided' : 'already-decided';
  } catch (error) {
    if (error instanceof TemporarilyUnavailableError) return 'unavailable';
    deps.logger.error({ submission: submissionId, err: errorText(error) }, 'review decision failed');
    return 'failed';
  }
}

/** The Slack user id in a recorded reviewer (`U123` or `slack:T:U123`). */
function slackUserIdIn(recorded: string | undefined): string | null {
  return /(?:^|:)([UW][A-Z0-9]+)$/.exec(recorded ?? '')?.[1] ?? null;
}
