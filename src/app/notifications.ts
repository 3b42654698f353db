import { OutboxMailer } from '../adapters/mail/outbox-mailer.js';
import { SmtpMailer } from '../adapters/mail/smtp-mailer.js';
import { MemoryJobQueue } from '../adapters/memory/job-queue.js';
import { RedisJobQueue } from '../adapters/redis/job-queue.js';
import { OutboxSmsSender } from '../adapters/sms/outbox-sms-sender.js';
import { WebhookSmsSender } from '../adapters/sms/webhook-sms-sender.js';
import type { AppConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { FinalFailure, JobQueue, JobQueueSettings } from '../ports/job-queue.js';
import type { Mailer } from '../ports/mailer.js';
import type { SmsSender } from '../ports/sms-sender.js';
import { DeliveryService, EMAIL_JOB, SMS_JOB } from '../services/notifications/delivery.js';
import { PayloadSealer } from '../services/notifications/payload-seal.js';
import { Reminders, type ReminderSources } from '../services/notifications/reminders.js';

export interface Notifications {
  queue: JobQueue;
  delivery: DeliveryService;
  reminders: Reminders;
  /** Present in development (no SMTP_URL / SMS_WEBHOOK_URL): the workbench's inbox. */
  mailOutbox?: OutboxMailer['outbox'];
  smsOutbox?: OutboxSmsSender['outbox'];
  /** Starts this process's workers. */
  start(): Promise<void>;
  /** Drains running jobs and closes connections. */
  close(): Promise<void>;
}

export interface NotificationDependencies {
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  sources: ReminderSources;
  /** Replaces the configured queue (tests, or a process sharing one). */
  queue?: JobQueue;
}

/** Builds mail, SMS, queue and the services over them from configuration. */
export function buildNotifications(config: AppConfig, deps: NotificationDependencies): Notifications {
  const { notifications: settings } = config;
  const { clock, logger, audit } = deps;

  const smtp = settings.mail.smtpUrl
    ? new SmtpMailer({ url: settings.mail.smtpUrl, from: settings.mail.from })
    : undefined;
  const mailOutbox = smtp ? undefined : new OutboxMailer(clock, logger);
  const mailer: Mailer = smtp ?? (mailOutbox as OutboxMailer);

  const { webhookUrl, webhookSecret, timeoutMs } = settings.sms;
  const smsOutbox = webhookUrl && webhookSecret ? undefined : new OutboxSmsSender(clock, logger);
  const sms: SmsSender =
    smsOutbox ??
    new WebhookSmsSender({ url: webhookUrl ?? '', secret: webhookSecret ?? '', timeoutMs, clock });

  const queueSettings: JobQueueSettings = {
    attempts: settings.delivery.attempts,
    backoffMs: settings.delivery.backoffMs,
    dedupeMs: settings.delivery.dedupeMs,
    failedRetentionMs: settings.delivery.failedRetentionMs,
    concurrency: settings.delivery.concurrency,
    onFinalFailure: (failure) => recordJobFailure(failure, audit, logger),
  };
  const queue =
    deps.queue ??
    (config.redis.topology
      ? new RedisJobQueue({
          topology: config.redis.topology,
          keyPrefix: config.redis.keyPrefix,
          clock,
          settings: queueSettings,
          logger,
        })
      : new MemoryJobQueue(clock, queueSettings, logger));

  const calendar = { timeZone: settings.review.timeZone, holidays: settings.review.holidays };
  const delivery = new DeliveryService({
    queue,
    mailer,
    sms,
    audit,
    clock,
    logger,
    sealer: new PayloadSealer(settings.delivery.payloadKey),
    settings: { timeZone: calendar.timeZone, interactiveWaitMs: settings.delivery.interactiveWaitMs },
  });
  const reminders = new Reminders({
    queue,
    delivery,
    sources: deps.sources,
    audit,
    clock,
    logger,
    settings: {
      calendar,
      sla: { minDays: settings.review.slaMinBusinessDays, maxDays: settings.review.slaMaxBusinessDays },
      passwordReminderAfterDays: config.passwords.reminderAfterDays,
      passwordExpiryReminderDays: config.passwords.expiryReminderDays,
      scanPasswordExpiry: config.directory.kind === 'ldap',
    },
  });
  delivery.registerHandlers();
  reminders.registerHandlers();

  return {
    queue,
    delivery,
    reminders,
    ...(mailOutbox ? { mailOutbox: mailOutbox.outbox } : {}),
    ...(smsOutbox ? { smsOutbox: smsOutbox.outbox } : {}),
    start: async () => {
      await queue.start();
      await reminders.startPasswordExpiryScans();
    },
    close: async () => {
      await queue.close();
      smtp?.close();
    },
  };
}

/** Delivery jobs audit their own failure with the masked recipient; other kinds are audited here. */
async function recordJobFailure(failure: FinalFailure, audit: AuditLog, logger: Logger): Promise<void> {
  logger.error(
    { jobKind: failure.kind, attempts: failure.attempts, reason: failure.reason },
    'job failed for good',
  );
  if (failure.kind === EMAIL_JOB || failure.kind === SMS_JOB) return;
  await audit.record({
    actor: 'system',
    action: 'job.failed',
    outcome: 'failure',
    detail: { kind: failure.kind, attempts: String(failure.attempts) },
  });
}
