import type { Logger } from '../../core/logger.js';
import type { DirectMessage, DirectMessenger } from '../../ports/direct-messenger.js';
import type {
  ReviewChannel,
  ReviewDecisionNotice,
  ReviewReminder,
  ReviewSubmissionNotice,
} from '../../ports/review-channel.js';

/**
 * What a flow's Slack message turns into when the app runs without Slack: a log line that
 * says no message went out. Email and SMS notices are unaffected.
 */
export class LoggedDirectMessenger implements DirectMessenger {
  constructor(private readonly logger: Logger) {}

  async send(message: DirectMessage): Promise<void> {
    this.logger.info(
      { kind: message.kind, flowId: message.flowId, accountId: message.accountId },
      'Slack is not configured: no direct message sent',
    );
  }
}

/** The same for the reviewers' channel: reviewers find the submissions in the pending list. */
export class LoggedReviewChannel implements ReviewChannel {
  constructor(private readonly logger: Logger) {}

  async postSubmission(notice: ReviewSubmissionNotice): Promise<void> {
    this.logger.info({ submission: notice.submissionId }, 'no review channel: submission not posted');
  }

  async updateDecision(notice: ReviewDecisionNotice): Promise<void> {
    this.logger.info({ submission: notice.submissionId }, 'no review channel: decision not posted');
  }

  async remindOverdue(reminder: ReviewReminder): Promise<void> {
    this.logger.warn({ submission: reminder.submissionId }, 'no review channel: overdue review not posted');
  }
}
