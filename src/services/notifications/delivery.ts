import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { CorruptRecordError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { AuditLog } from '../../ports/audit-log.js';
import { PermanentJobError, type JobContext, type JobQueue } from '../../ports/job-queue.js';
import { DeliveryError, type Mailer } from '../../ports/mailer.js';
import type { SmsSender } from '../../ports/sms-sender.js';
import { maskEmail, maskPhone } from '../masking.js';
import type { PayloadSealer } from './payload-seal.js';
import { renderEmail, renderSms, type EmailTemplate, type SmsTemplate } from './templates.js';

export const EMAIL_JOB = 'deliver.email';
export const SMS_JOB = 'deliver.sms';

export interface DeliveryRequest<Template> {
  /**
   * The event this message belongs to, e.g. `<flowId>:code:<issue number>`. The same id
   * never sends twice (retried Slack events, restored flow actors, several workers).
   */
  id: string;
  to: string;
  template: Template;
  accountId?: string;
  /** Epoch ms: deliver no earlier than this (generic "deliver at T"). */
  at?: number;
}

/**
 * What a person waiting for a code is told. `retrying` and `pending` both mean the
 * message is safe in the queue and will still be delivered; the person may ask again.
 */
export type FirstAttempt = 'sent' | 'retrying' | 'pending' | 'failed';

interface DeliverySettings {
  timeZone: string;
  /** How long an interactive send waits for the first attempt. */
  interactiveWaitMs: number;
}

export interface DeliveryDependencies {
  queue: JobQueue;
  mailer: Mailer;
  sms: SmsSender;
  audit: AuditLog;
  sealer: PayloadSealer;
  clock: Clock;
  logger: Logger;
  settings: DeliverySettings;
}

/** In clear: only what a log line or audit event may show. The message itself is sealed. */
const jobSchema = z.object({
  sealed: z.string(),
  recipient: z.string(),
  template: z.string(),
  accountId: z.string().optional(),
});
type DeliveryJob = z.infer<typeof jobSchema>;

const mailSchema = z.object({ to: z.string(), subject: z.string(), text: z.string(), html: z.string() });
const smsSchema = z.object({ to: z.string(), text: z.string() });

const POLL_MS = 15;

/**
 * Every email and text goes through the job queue: rendered here, sealed, queued under
 * an id derived from the event, and sent by whichever worker takes the job.
 */
export class DeliveryService {
  constructor(private readonly deps: DeliveryDependencies) {}

  /** Call once per process that runs workers, before `queue.start()`. */
  registerHandlers(): void {
    this.deps.queue.register(EMAIL_JOB, (job) => this.deliverEmail(job));
    this.deps.queue.register(SMS_JOB, (job) => this.deliverSms(job));
  }

  /** Queues an email; resolves once it is safely queued (TemporarilyUnavailableError if it cannot be). */
  async email(request: DeliveryRequest<EmailTemplate>): Promise<void> {
    const jobId = emailJobId(request.id);
    const rendered = renderEmail(request.template, { timeZone: this.deps.settings.timeZone });
    const mail = { to: request.to, ...rendered };
    await this.enqueue(EMAIL_JOB, jobId, request, maskEmail(request.to), JSON.stringify(mail));
  }

  async sms(request: DeliveryRequest<SmsTemplate>): Promise<void> {
    const jobId = smsJobId(request.id);
    const text = renderSms(request.template, { timeZone: this.deps.settings.timeZone });
    await this.enqueue(
      SMS_JOB,
      jobId,
      request,
      maskPhone(request.to),
      JSON.stringify({ to: request.to, text }),
    );
  }

  /** For a person waiting on a code: queue it, then wait briefly for the first attempt. */
  async emailNow(request: DeliveryRequest<EmailTemplate>): Promise<FirstAttempt> {
    await this.email(request);
    return this.firstAttempt(emailJobId(request.id));
  }

  async smsNow(request: DeliveryRequest<SmsTemplate>): Promise<FirstAttempt> {
    await this.sms(request);
    return this.firstAttempt(smsJobId(request.id));
  }

  private async enqueue(
    kind: string,
    jobId: string,
    request: DeliveryRequest<EmailTemplate | SmsTemplate>,
    recipient: string,
    message: string,
  ): Promise<void> {
    const payload: DeliveryJob = {
      sealed: this.deps.sealer.seal(message, jobId),
      recipient,
      template: request.template.kind,
      ...(request.accountId === undefined ? {} : { accountId: request.accountId }),
    };
    await this.deps.queue.enqueue({
      id: jobId,
      kind,
      payload,
      ...(request.at === undefined ? {} : { runAt: request.at }),
    });
  }

  private async firstAttempt(jobId: string): Promise<FirstAttempt> {
    const started = performance.now();
    for (;;) {
      const status = await this.deps.queue.status(jobId);
      if (status.state === 'completed') return 'sent';
      if (status.state === 'failed') return 'failed';
      if (status.attemptsMade > 0) return 'retrying';
      if (performance.now() - started >= this.deps.settings.interactiveWaitMs) return 'pending';
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async deliverEmail(job: JobContext): Promise<void> {
    const data = this.read(job);
    await this.attempt(job, data, 'email', async () => {
      const mail = parseSealed(mailSchema, this.deps.sealer.open(data.sealed, job.id));
      const receipt = await this.deps.mailer.send(mail);
      this.deps.logger.info(
        {
          channel: 'email',
          to: data.recipient,
          subject: mail.subject,
          template: data.template,
          messageId: receipt.messageId,
        },
        'mail accepted',
      );
    });
  }

  private async deliverSms(job: JobContext): Promise<void> {
    const data = this.read(job);
    await this.attempt(job, data, 'sms', async () => {
      const sms = parseSealed(smsSchema, this.deps.sealer.open(data.sealed, job.id));
      await this.deps.sms.send({ id: job.id, to: sms.to, text: sms.text });
      this.deps.logger.info({ channel: 'sms', to: data.recipient, template: data.template }, 'text accepted');
    });
  }

  private read(job: JobContext): DeliveryJob {
    const parsed = jobSchema.safeParse(job.payload);
    if (!parsed.success) throw new PermanentJobError('delivery job payload is unreadable');
    return parsed.data;
  }

  /** Runs one send; on the last failure records `delivery.failed` (masked recipient, no body). */
  private async attempt(job: JobContext, data: DeliveryJob, channel: string, send: () => Promise<void>) {
    try {
      await send();
    } catch (error) {
      // A body that does not open (key changed, data damaged) will not open on a retry either.
      const permanent =
        (error instanceof DeliveryError && error.permanent) ||
        error instanceof PermanentJobError ||
        error instanceof CorruptRecordError;
      // A server's error text may echo what it was sent; long digit runs (codes) are blanked.
      const reason = (error instanceof Error ? error.message : 'unknown error').replace(/\d{6,}/g, '#');
      const final = permanent || job.attempt >= job.maxAttempts;
      this.deps.logger.warn(
        { channel, to: data.recipient, template: data.template, attempt: job.attempt, final, reason },
        'delivery attempt failed',
      );
      if (final) await this.recordFailure(channel, job, data, reason);
      if (permanent) throw new PermanentJobError(reason, { cause: error });
      throw error;
    }
  }

  /** A lost audit write must not turn a final failure into another retry. */
  private async recordFailure(channel: string, job: JobContext, data: DeliveryJob, reason: string) {
    try {
      await this.deps.audit.record({
        actor: 'system',
        ...(data.accountId === undefined ? {} : { accountId: data.accountId }),
        action: 'delivery.failed',
        outcome: 'failure',
        detail: {
          channel,
          recipient: data.recipient,
          template: data.template,
          attempts: String(job.attempt),
          reason,
        },
      });
    } catch (error) {
      this.deps.logger.error(
        { channel, to: data.recipient, err: error },
        'could not audit a failed delivery',
      );
    }
  }
}

function parseSealed<T>(schema: z.ZodType<T>, text: string): T {
  try {
    return schema.parse(JSON.parse(text));
  } catch {
    throw new PermanentJobError('sealed delivery message has the wrong shape');
  }
}

function emailJobId(eventId: string): string {
  return `mail:${eventId}`;
}

function smsJobId(eventId: string): string {
  return `sms:${eventId}`;
}
