/** One text message. `id` is stable across retries so a gateway can drop a repeat. */
export interface OutgoingSms {
  id: string;
  /** E.164, e.g. +8613812345678. */
  to: string;
  text: string;
}

export interface SmsSender {
  /** Throws DeliveryError (from ./mailer.js): `permanent` when retrying cannot help. */
  send(sms: OutgoingSms): Promise<void>;
}
