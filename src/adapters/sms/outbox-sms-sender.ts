import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { OutgoingSms, SmsSender } from '../../ports/sms-sender.js';
import { maskPhone } from '../../services/masking.js';
import { DevelopmentOutbox } from '../mail/development-outbox.js';

/** Development texts: kept for the workbench, one log line each (number masked; never the text). */
export class OutboxSmsSender implements SmsSender {
  readonly outbox: DevelopmentOutbox<OutgoingSms>;

  constructor(
    clock: Clock,
    private readonly logger: Logger,
  ) {
    this.outbox = new DevelopmentOutbox(clock);
  }

  async send(sms: OutgoingSms): Promise<void> {
    this.outbox.add({ ...sms });
    this.logger.info({ to: maskPhone(sms.to), smsId: sms.id }, 'text kept in the development outbox');
  }
}
