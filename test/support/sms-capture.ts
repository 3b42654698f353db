import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedSms {
  id: string;
  to: string;
  text: string;
}

export interface SmsRequest extends CapturedSms {
  signatureValid: boolean;
  status: number;
}

/**
 * An SMS gateway on loopback. It checks the HMAC signature itself (not with the app's
 * code), delivers each `id` once as a real gateway with idempotency would, and can answer
 * the next requests with 500 or only after a delay (the request still reaches it).
 */
export class SmsCapture {
  readonly requests: SmsRequest[] = [];
  private readonly delivered = new Map<string, CapturedSms>();
  private failures = 0;
  private lateAnswers: number[] = [];

  private constructor(
    private readonly server: Server,
    readonly secret: string,
  ) {}

  static async start(secret = 'sms-capture-shared-secret'): Promise<SmsCapture> {
    const server = createServer();
    const capture = new SmsCapture(server, secret);
    server.on(
      'request',
      (request: IncomingMessage, response: ServerResponse) => void capture.handle(request, response),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return capture;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/sms`;
  }

  failNext(count: number): void {
    this.failures = count;
  }

  /** The next `delays.length` requests are accepted but answered after these many ms. */
  answerLate(...delays: number[]): void {
    this.lateAnswers = delays;
  }

  /** What phones received: one per id. */
  messages(): CapturedSms[] {
    return [...this.delivered.values()];
  }

  /** The six-digit code in the `nth` SMS to `to` (E.164), waiting up to 10 s for it. */
  async code(to: string, nth = 1): Promise<string> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const text = this.messages().filter((message) => message.to === to)[nth - 1]?.text;
      const code = text ? /(?<!\d)(\d{6})(?!\d)/.exec(text)?.[1] : undefined;
      if (code) return code;
      if (Date.now() > deadline) throw new Error(`no code number ${nth} by SMS to ${to}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = JSON.parse(raw) as CapturedSms;
    const signatureValid = this.verify(request, raw);
    const status = !signatureValid ? 401 : this.failures > 0 ? 500 : 202;
    if (status === 500) this.failures -= 1;
    this.requests.push({ id: body.id, to: body.to, text: body.text, signatureValid, status });
    if (status === 202 && !this.delivered.has(body.id)) {
      this.delivered.set(body.id, { id: body.id, to: body.to, text: body.text });
    }
    const delay = status === 202 ? (this.lateAnswers.shift() ?? 0) : 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (!response.destroyed) response.writeHead(status).end();
  }

  private verify(request: IncomingMessage, raw: string): boolean {
    const timestamp = request.headers['x-signature-timestamp'];
    const signature = request.headers['x-signature'];
    if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
    const expected = Buffer.from(
      `sha256=${createHmac('sha256', this.secret).update(`${timestamp}.${raw}`).digest('hex')}`,
    );
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
