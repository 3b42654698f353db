import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** Recipients starting with this are refused for good (550), like a mailbox that does not exist. */
const MISSING_MAILBOX = 'nobody';

/** One message as the receiving server saw it, parsed like a mail client would. */
export interface CapturedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** performance.now() when the server accepted the DATA. */
  acceptedAt: number;
}

/**
 * A real SMTP server on loopback (smtp-server) that parses what it receives (mailparser).
 * It can go down and come back on the same port, and refuse the next N messages with a
 * temporary 421, so tests can see mail survive an outage.
 */
export class SmtpCapture {
  readonly messages: CapturedMail[] = [];
  private server: SMTPServer | undefined;
  private refuseNext = 0;
  private held: (() => void)[] | null = null;
  private waiters: (() => void)[] = [];

  private constructor(private port: number) {}

  static async start(): Promise<SmtpCapture> {
    const capture = new SmtpCapture(0);
    await capture.up();
    return capture;
  }

  /** With credentials, so the transport's login path is exercised too. */
  get url(): string {
    return `smtp://capture:capture-password@127.0.0.1:${this.port}`;
  }

  /** Answers the next `count` messages with 421 (try again later). */
  refuse(count: number): void {
    this.refuseNext = count;
  }

  /**
   * Accepts connections and never greets them, as a hung server does, until `release()`;
   * the connections held meanwhile are greeted then.
   */
  hang(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const greet of held) greet();
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async up(): Promise<void> {
    const server = new SMTPServer(this.options());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    server.on('error', () => undefined);
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  mailsTo(address: string): CapturedMail[] {
    const wanted = address.toLowerCase();
    return this.messages.filter((mail) => mail.to.includes(wanted));
  }

  /** Waits for the `nth` (1-based) message to `address`. */
  async waitForMail(
    address: string,
    options: { nth?: number; timeoutMs?: number } = {},
  ): Promise<CapturedMail> {
    const nth = options.nth ?? 1;
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      const found = this.mailsTo(address)[nth - 1];
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no mail number ${nth} to ${address} arrived`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.release();
    await this.down();
  }

  private options(): SMTPServerOptions {
    return {
      authOptional: true,
      disableReverseLookup: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onConnect: (_session, callback) => {
        if (this.held === null) return callback();
        this.held.push(() => callback());
      },
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
      onMailFrom: (_address, _session, callback) => {
        if (this.refuseNext > 0) {
          this.refuseNext -= 1;
          return callback(Object.assign(new Error('Try again later'), { responseCode: 421 }));
        }
        callback();
      },
      onRcptTo: (address, _session, callback) => {
        if (address.address.toLowerCase().startsWith(MISSING_MAILBOX)) {
          return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
        }
        callback();
      },
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const acceptedAt = performance.now();
          simpleParser(Buffer.concat(chunks))
            .then((parsed) => {
              this.messages.push({
                from: addresses(parsed.from)[0] ?? '',
                to: addresses(parsed.to),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                messageId: parsed.messageId ?? '',
                acceptedAt,
              });
              for (const wake of this.waiters.splice(0)) wake();
              callback();
            })
            .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
        });
      },
    };
  }
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((entry) => entry.value.map((address) => (address.address ?? '').toLowerCase()));
}

/** Reads the one-time code as a person would: the six digits standing on their own in the text. */
export function readCode(mail: CapturedMail): string {
  const match = /(?<!\d)(\d{6})(?!\d)/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no code in mail "${mail.subject}"`);
  return match[1];
}

/** Reads the first web link in the plain text, as a person clicking it would follow. */
export function readLink(mail: CapturedMail): string {
  const match = /https?:\/\/[^\s<>"]+/.exec(mail.text);
  if (!match) throw new Error(`no link in mail "${mail.subject}"`);
  return match[0];
}
