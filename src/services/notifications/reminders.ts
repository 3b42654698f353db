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

const REVIEW_OVERDUE_JOB = 'reminder.review-overdue';
const PASSWORD_AGE_JOB = 'reminder.password-age';
export const PASSWORD_EXPIRY_SCAN_JOB = 'reminder.password-expiry-scan';

const DAY_MS = 86_400_000;

/** What reminders need to know about the world; the composition root adapts the directory. */
export interface ReminderSources {
  /** True while the submission still waits for a decision. */
  reviewPending(submissionId: string): Promise<boolean>;
  /** Posts to the review channel (reviewers act there). */
  remindReviewers(reminder: { submissionId: string; accountId: string; text: string }): Promise<void>;
  /** The account's password now; null when it has none. */
  passwordState(accountId: string): Promise<PasswordState | null>;
  /**
   * Accounts whose password, changed anywhere, expires by the directory's maximum age within
   * (from, until]; none without a directory that has one.
   */
  expiringPasswords(from: number, until: number): Promise<{ accountId: string; changedAt: number }[]>;
  /** Tells the owner in Slack that the password expires, with a button to change it now. */
  remindOwnerOfExpiry(accountId: string, expiresAt: number): Promise<void>;
}

export interface PasswordState {
  changedAt: number;
  /** Where the reminder mail goes (the login email); null: no mail. */
  email: string | null;
  name?: string;
  /** When the directory's maximum password age ends it; null: never (the embedded store). */
  expiresAt: number | null;
}

export interface ReminderSettings {
  calendar: BusinessCalendar;
  sla: { minDays: number; maxDays: number };
  passwordReminderAfterDays: number;
  /** With a directory maximum password age: remind this many days before the password expires. */
  passwordExpiryReminderDays: number;
  /** True when a directory may expire passwords: a daily scan finds the ones changed elsewhere. */
  scanPasswordExpiry: boolean;
}

const reviewJob = z.object({ submissionId: z.string(), accountId: z.string(), submittedAt: z.number() });
const passwordJob = z.object({ accountId: z.string(), changedAt: z.number() });
const scanJob = z.object({ from: z.number() });

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
    this.deps.queue.register(PASSWORD_EXPIRY_SCAN_JOB, (job) => this.scanPasswordExpiry(job));
  }

  /**
   * Starts the daily expiry scan when a directory may expire passwords. Its id names the day,
   * so instances starting together schedule one; each scan covers the time since the last.
   */
  async startPasswordExpiryScans(): Promise<void> {
    if (!this.deps.settings.scanPasswordExpiry) return;
    const now = this.deps.clock.now();
    await this.enqueueScan(now - DAY_MS, now);
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

  /**
   * After any password change: the friendly nudge after PASSWORD_REMINDER_DAYS, or, when the
   * directory expires passwords, the reminder that many days before expiry. A reminder for an
   * older change finds it outdated and does nothing.
   */
  async schedulePasswordReminder(change: { accountId: string; changedAt: number }): Promise<void> {
    const { settings, sources } = this.deps;
    const state = await sources.passwordState(change.accountId);
    const expiresAt = state?.changedAt === change.changedAt ? state.expiresAt : null;
    await this.enqueuePasswordReminder(
      change,
      expiresAt === null
        ? change.changedAt + settings.passwordReminderAfterDays * DAY_MS
        : expiresAt - settings.passwordExpiryReminderDays * DAY_MS,
    );
  }

  private async enqueuePasswordReminder(
    change: { accountId: string; changedAt: number },
    runAt: number,
  ): Promise<void> {
    await this.deps.queue.enqueue({
      id: `password-age:${change.accountId}:${change.changedAt}`,
      kind: PASSWORD_AGE_JOB,
      payload: change,
      runAt,
    });
  }

  private async enqueueScan(from: number, at: number): Promise<void> {
    await this.deps.queue.enqueue({
      id: `password-expiry-scan:${localDate(at, this.deps.settings.calendar.timeZone)}`,
      kind: PASSWORD_EXPIRY_SCAN_JOB,
      payload: { from },
      runAt: at,
    });
  }

  /**
   * Passwords changed outside the product (another tool, the directory's own screens) get
   * their reminder too: each scan reminds those whose reminder day came since the last scan,
   * then schedules the next for tomorrow morning.
   */
  private async scanPasswordExpiry(job: JobContext): Promise<void> {
    const { from } = parse(scanJob, job);
    const { clock, settings, sources } = this.deps;
    const now = clock.now();
    const lead = settings.passwordExpiryReminderDays * DAY_MS;
    for (const change of await sources.expiringPasswords(from + lead, now + lead)) {
      await this.enqueuePasswordReminder(change, now);
    }
    const { timeZone } = settings.calendar;
    await this.enqueueScan(now, zonedTime(localDate(now + DAY_MS, timeZone), REMINDER_HOUR, timeZone));
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
    if (state.expiresAt !== null) {
      await this.remindExpiry(change.accountId, state, state.expiresAt);
      return;
    }
    if (state.email === null) return;
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

  /** In Slack with a button to change it, and by mail for whoever does not read Slack. */
  private async remindExpiry(accountId: string, state: PasswordState, expiresAt: number): Promise<void> {
    // An expired password is the directory's business now; a reminder would only confuse.
    if (this.deps.clock.now() >= expiresAt) return;
    await this.deps.sources.remindOwnerOfExpiry(accountId, expiresAt);
    if (state.email !== null) {
      await this.deps.delivery.email({
        id: `password-expiry:${accountId}:${state.changedAt}`,
        to: state.email,
        accountId,
        template: {
          kind: 'password-expiry-reminder',
          expiresAt,
          ...(state.name ? { name: state.name } : {}),
        },
      });
    }
    await this.deps.audit.record({
      actor: 'system',
      accountId,
      action: 'password.expiry-reminder',
      outcome: 'info',
      detail: { expiresAt: new Date(expiresAt).toISOString() },
    });
  }
}

function parse<T>(schema: z.ZodType<T>, job: JobContext): T {
  const parsed = schema.safeParse(job.payload);
  if (!parsed.success) throw new PermanentJobError(`${job.kind} job payload is unreadable`);
  return parsed.data;
}
