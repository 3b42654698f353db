import { createHmac } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { DeliveryError } from '../../ports/mailer.js';
import type { OutgoingSms, SmsSender } from '../../ports/sms-sender.js';

export interface WebhookSmsOptions {
  url: string;
  /** Shared with the gateway, which checks the signature header. */
  secret: string;
  timeoutMs: number;
  clock: Clock;
}

const SIGNATURE_HEADER = 'x-signature';
const TIMESTAMP_HEADER = 'x-signature-timestamp';

/**
 * POSTs `{to, text, id}` as JSON. The gateway verifies
 * `x-signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` with the
 * timestamp header (seconds), and should drop a repeated `id`: a retry after a timeout
 * may follow a first try that did reach it.
 */
export class WebhookSmsSender implements SmsSender {
  constructor(private readonly options: WebhookSmsOptions) {}

  async send(sms: OutgoingSms): Promise<void> {
    const body = JSON.stringify({ to: sms.to, text: sms.text, id: sms.id });
    const timestamp = String(Math.floor(this.options.clock.now() / 1000));
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': sms.id,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: `sha256=${signWebhookBody(this.options.secret, timestamp, body)}`,
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new DeliveryError(timedOut ? 'SMS gateway timed out' : 'SMS gateway unreachable', false, {
        cause: error,
      });
    }
    await response.body?.cancel();
    if (response.ok) return;
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    throw new DeliveryError(`SMS gateway answered ${response.status}`, !retryable);
  }
}

function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}
