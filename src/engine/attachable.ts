import type { Logger } from '../core/logger.js';
import type { DirectMessage, DirectMessenger } from '../ports/direct-messenger.js';
import type {
  ReviewChannel,
  ReviewDecisionNotice,
  ReviewReminder,
  ReviewSubmissionNotice,
} from '../ports/review-channel.js';

/**
 * The engine is built before the Slack app (which needs the engine), so flows get this
 * messenger and the Slack app attaches itself once it exists; until then, and without
 * Slack, messages go to the fallback (which logs that nothing was sent).
 */
export class AttachableDirectMessenger implements DirectMessenger {
  private target: DirectMessenger | null = null;

  constructor(private readonly fallback: DirectMessenger) {}

  attach(target: DirectMessenger): void {
    this.target = target;
  }

  send(message: DirectMessage): Promise<void> {
    return (this.target ?? this.fallback).send(message);
  }
}

/**
 * The same for the reviewers' channel: submissions filed before the Slack app attached
 * (or without Slack) are logged as not posted; reviewers then find them in the pending list.
 */
export class AttachableReviewChannel implements ReviewChannel {
  private target: ReviewChannel | null = null;

  constructor(private readonly logger: Logger) {}

  attach(target: ReviewChannel): void {
    this.target = target;
  }

  async postSubmission(notice: ReviewSubmissionNotice): Promise<void> {
    if (this.target) return this.target.postSubmission(notice);
    this.logger.info({ submission: notice.submissionId }, 'no review channel: submission not posted');
  }

  async updateDecision(notice: ReviewDecisionNotice): Promise<void> {
    if (this.target) return this.target.updateDecision(notice);
    this.logger.info({ submission: notice.submissionId }, 'no review channel: decision not posted');
  }

  async remindOverdue(reminder: ReviewReminder): Promise<void> {
    if (this.target) return this.target.remindOverdue(reminder);
    this.logger.warn({ submission: reminder.submissionId }, 'no review channel: overdue review not posted');
  }
}
