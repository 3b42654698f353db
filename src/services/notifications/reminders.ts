import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { notifications as words } from '../../messages/notifications.js';
import type { AuditLog } from '../../ports/audit-log.js';
import { PermanentJobError, type JobContext, type JobQueue } from '../../ports/job-queue.js';
import {
  addBusinessDays,
  businessDaysBetween,
  localDate,
  REMINDER_HOUR,
  reviewWindow,
  zonedTime,
  type BusinessCalendar,
  type ReviewWindow,
} from './business-days.js';
import type { DeliveryService } from './delivery.js';

export const REVIEW_OVERDUE_JOB = 'reminder.review-overdue';
export const PASSWORD_AGE_JOB = 'reminder.password-age';

const DAY_MS = 86_400_000;

/** What reminders need to know about the world; the composition root adapts the directory. */
export interface ReminderSources {
  /** True while the submission still waits for a decision. */
  reviewPending(submissionId: string): Promise<boolean>;
  /** Posts to the review channel (reviewers act there). */
  remindReviewers(reminder: { submissionId: string; accountId: string; text: string }): Promise<void>;
  /** The account's password change time and login email now; null when it has no password or email. */
  passwordState(accountId: string): Promise<{ changedAt: number; email: string; name?: string } | null>;
}

export interface ReminderSettings {
  calendar: BusinessCalendar;
  sla: { minDays: number; maxDays: number };
  passwordReminderAfterDays: number;
}

const reviewJob = z.object({ submissionId: z.string(), accountId: z.string(), submittedAt: z.number() });
const passwordJob = z.object({ accountId: z.string(), changedAt: z.number() });

/**
 * Scheduled reminders. Each is one job whose id names what it is about (the submission and
 * day, the account and password change time), so scheduling twice changes nothing, and
 * each checks when it runs whether it still applies: a decision or a new password since.
 */
export class Reminders {
  constructor(
    private readonly deps: {
      queue: JobQueue;
      delivery: DeliveryService;
      sources: ReminderSources;
      audit: AuditLog;
      clock: Clock;
      logger: Logger;
      settings: ReminderSettings;
    },
  ) {}

  registerHandlers(): void {
    this.deps.queue.register(REVIEW_OVERDUE_JOB, (job) => this.remindOverdueReview(job));
    this.deps.queue.register(PASSWORD_AGE_JOB, (job) => this.remindPasswordAge(job));
  }

  /** On submission: returns the expected decision window and schedules the overdue reminder. */
  async scheduleReviewReminder(submission: {
    submissionId: string;
    accountId: string;
    submittedAt: number;
  }): Promise<ReviewWindow> {
    const window = reviewWindow(submission.submittedAt, this.deps.settings.sla, this.deps.settings.calendar);
    await this.enqueueReview(submission, window.overdueAt);
    return window;
  }

  /** After any password change; a reminder for an older change finds it outdated and does nothing. */
  async schedulePasswordReminder(change: { accountId: string; changedAt: number }): Promise<void> {
    await this.deps.queue.enqueue({
      id: `password-age:${change.accountId}:${change.changedAt}`,
      kind: PASSWORD_AGE_JOB,
      payload: change,
      runAt: change.changedAt + this.deps.settings.passwordReminderAfterDays * DAY_MS,
    });
  }

  private async enqueueReview(
    submission: { submissionId: string; accountId: string; submittedAt: number },
    at: number,
  ): Promise<void> {
    const day = localDate(at, this.deps.settings.calendar.timeZone);
    await this.deps.queue.enqueue({
      id: `review-overdue:${submission.submissionId}:${day}`,
      kind: REVIEW_OVERDUE_JOB,
      payload: submission,
      runAt: at,
    });
  }

  /** Reminds reviewers, then again each business morning until someone decides. */
  private async remindOverdueReview(job: JobContext): Promise<void> {
    const submission = parse(reviewJob, job);
    const { sources, settings, clock } = this.deps;
    if (!(await sources.reviewPending(submission.submissionId))) return;
    const { calendar } = settings;
    const today = localDate(clock.now(), calendar.timeZone);
    const waited = businessDaysBetween(localDate(submission.submittedAt, calendar.timeZone), today, calendar);
    await sources.remindReviewers({
      submissionId: submission.submissionId,
      accountId: submission.accountId,
      text: words.reviewOverdue(submission.submissionId, waited, settings.sla.maxDays),
    });
    await this.deps.audit.record({
      actor: 'system',
      accountId: submission.accountId,
      action: 'review.overdue-reminder',
      outcome: 'info',
      detail: { submission: submission.submissionId, businessDays: String(waited) },
    });
    const next = zonedTime(addBusinessDays(today, 1, calendar), REMINDER_HOUR, calendar.timeZone);
    await this.enqueueReview(submission, next);
  }

  private async remindPasswordAge(job: JobContext): Promise<void> {
    const change = parse(passwordJob, job);
    const state = await this.deps.sources.passwordState(change.accountId);
    if (!state || state.changedAt !== change.changedAt) return;
    const days = Math.floor((this.deps.clock.now() - state.changedAt) / DAY_MS);
    await this.deps.delivery.email({
      id: `password-age:${change.accountId}:${change.changedAt}`,
      to: state.email,
      accountId: change.accountId,
      template: {
        kind: 'password-age-reminder',
        daysSinceChange: days,
        ...(state.name ? { name: state.name } : {}),
      },
    });
  }
}

function parse<T>(schema: z.ZodType<T>, job: JobContext): T {
  const parsed = schema.safeParse(job.payload);
  if (!parsed.success) throw new PermanentJobError(`${job.kind} job payload is unreadable`);
  return parsed.data;
}
