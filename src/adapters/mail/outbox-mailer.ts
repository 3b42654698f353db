import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { MailReceipt, Mailer, OutgoingMail } from '../../ports/mailer.js';
import { maskEmail } from '../../services/masking.js';
import { DevelopmentOutbox } from './development-outbox.js';

/** Development mail: kept for the workbench, one log line each (recipient masked, subject; never the body). */
export class OutboxMailer implements Mailer {
  readonly outbox: DevelopmentOutbox<OutgoingMail & { messageId: string }>;

  constructor(
    clock: Clock,
    private readonly logger: Logger,
  ) {
    this.outbox = new DevelopmentOutbox(clock);
  }

  async send(mail: OutgoingMail): Promise<MailReceipt> {
    const messageId = `<${randomUUID()}@outbox.local>`;
    this.outbox.add({ ...mail, messageId });
    this.logger.info(
      { to: maskEmail(mail.to), subject: mail.subject },
      'mail kept in the development outbox',
    );
    return { messageId };
  }
}
