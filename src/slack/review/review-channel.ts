import type { webApi } from '@slack/bolt';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { accountIdOfSubmission } from '../../domain/account.js';
import type { AccountDirectory } from '../../ports/account-directory.js';
import type {
  ReviewChannel,
  ReviewDecisionNotice,
  ReviewReminder,
  ReviewSubmissionNotice,
} from '../../ports/review-channel.js';
import { decidedCard, overdueReminder, reviewCard, type ReviewCardInput } from '../views/review.js';
import type { ReviewCard, ReviewCards } from '../../ports/review-cards.js';
import { slackUserOf } from '../../domain/flow-owner.js';

export interface SlackReviewChannelDependencies {
  client: webApi.WebClient;
  /** Null: no review channel configured; cards are not posted and the log says so. */
  channelId: string | null;
  cards: ReviewCards;
  directory: AccountDirectory;
  clock: Clock;
  logger: Logger;
}

/**
 * The review channel in Slack: one card per submission with the details reviewers need
 * (the document number masked; reviewers open it in their own modal), updated in place with the decision, and
 * reminders in the card's thread when a review is overdue.
 */
export class SlackReviewChannel implements ReviewChannel {
  constructor(private readonly deps: SlackReviewChannelDependencies) {}

  async postSubmission(notice: ReviewSubmissionNotice): Promise<void> {
    const { channelId, cards, client, logger } = this.deps;
    if (channelId === null) {
      logger.warn(
        { submission: notice.submissionId },
        'identity submission filed and no review channel is configured',
      );
      return;
    }
    if ((await cards.find(notice.accountId, notice.submissionId)) !== null) return;
    if (!(await cards.claimPosting(notice.accountId, notice.submissionId))) return;
    const input = await this.cardInput(notice.submissionId, notice.owner, notice.expectedBy);
    if (input === null) {
      logger.warn(
        { submission: notice.submissionId },
        'identity submission not found; no review card posted',
      );
      return;
    }
    const posted = await client.chat.postMessage({ channel: channelId, ...reviewCard(input) });
    if (!posted.ts) throw new Error('chat.postMessage returned no ts for the review card');
    await cards.save({
      ...notice,
      channel: posted.channel ?? channelId,
      ts: posted.ts,
    });
  }

  async updateDecision(notice: ReviewDecisionNotice): Promise<void> {
    const card = await this.cardOf(notice.submissionId);
    if (card === null) {
      this.deps.logger.warn(
        { submission: notice.submissionId },
        'no review card to update with the decision',
      );
      return;
    }
    const input = await this.cardInput(card.submissionId, card.owner, card.expectedBy);
    if (input === null) return;
    await this.deps.client.chat.update({
      channel: card.channel,
      ts: card.ts,
      ...decidedCard(input, {
        decision: notice.decision,
        reviewerId: notice.reviewerId,
        at: notice.at,
        ...(notice.reason !== undefined ? { reason: notice.reason } : {}),
      }),
    });
  }

  async remindOverdue(reminder: ReviewReminder): Promise<void> {
    const { channelId, client, logger } = this.deps;
    const card = await this.deps.cards.find(reminder.accountId, reminder.submissionId);
    const channel = card?.channel ?? channelId;
    if (channel === null) {
      logger.warn(
        { submission: reminder.submissionId },
        'identity review is overdue and no review channel is configured',
      );
      return;
    }
    const message = overdueReminder(reminder.accountId);
    if (card)
      await client.chat.postMessage({ channel, ...message, thread_ts: card.ts, reply_broadcast: true });
    else await client.chat.postMessage({ channel, ...message });
  }

  /** The card of a submission, found through the account id the submission id starts with. */
  async cardOf(submissionId: string): Promise<ReviewCard | null> {
    const accountId = accountIdOfSubmission(submissionId);
    return accountId === null ? null : this.deps.cards.find(accountId, submissionId);
  }

  private async cardInput(
    submissionId: string,
    owner: string,
    expectedBy: number,
  ): Promise<ReviewCardInput | null> {
    const submission = await this.deps.directory.getSubmission(submissionId);
    if (submission === null) return null;
    const account = await this.deps.directory.getById(submission.accountId);
    return { submission, account, submitterId: slackUserOf(owner)?.userId ?? null, expectedBy };
  }
}
