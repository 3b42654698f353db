import { createTransport } from 'nodemailer';
import { DeliveryError, type MailReceipt, type Mailer, type OutgoingMail } from '../../ports/mailer.js';

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
  url: string;
  from: string;
  /** Connect, greeting and socket timeouts, so a hung server fails the attempt instead of the worker. */
  timeoutMs?: number;
}

/**
 * Nodemailer over SMTP. One connection per message (no pool): delivery runs in a job
 * worker that already limits concurrency, and a fresh connection recovers by itself
 * after the server comes back.
 */
export class SmtpMailer implements Mailer {
  private readonly transport: ReturnType<typeof createTransport>;

  constructor(private readonly options: SmtpMailerOptions) {
    const timeout = options.timeoutMs ?? 15_000;
    this.transport = createTransport({
      url: options.url,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(mail: OutgoingMail): Promise<MailReceipt> {
    try {
      const info = await this.transport.sendMail({
        from: this.options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
      return { messageId: String(info.messageId) };
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * 5xx replies about the message or recipient are final (no such mailbox, refused); a
 * 5xx to our login is a configuration problem an operator can fix while the job waits,
 * and connection trouble or 4xx replies are worth retrying.
 */
function toDeliveryError(error: unknown): DeliveryError {
  const details =
    error instanceof Error ? (error as Error & { responseCode?: unknown; code?: unknown }) : undefined;
  const responseCode = typeof details?.responseCode === 'number' ? details.responseCode : undefined;
  const code = typeof details?.code === 'string' ? details.code : 'unknown';
  const permanent = responseCode !== undefined && responseCode >= 500 && code !== 'EAUTH';
  const reply = responseCode === undefined ? '' : ` (reply ${responseCode})`;
  return new DeliveryError(`SMTP ${code}${reply}`, permanent, { cause: error });
}
