/** One rendered email. The body may hold a code or a link: it is never logged. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailReceipt {
  messageId: string;
}

export interface Mailer {
  /**
   * Hands the mail to the server. Throws DeliveryError: `permanent` when retrying cannot
   * help (the server refused the recipient for good), otherwise a retry may succeed.
   */
  send(mail: OutgoingMail): Promise<MailReceipt>;
}

/** A send failed; the message says why without repeating the body. */
export class DeliveryError extends Error {
  readonly code = 'DELIVERY_FAILED';
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}
