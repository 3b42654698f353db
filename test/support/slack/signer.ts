import { createHmac } from 'node:crypto';

export interface SlackResponse {
  status: number;
  body: string;
  /** The body parsed as JSON when it is JSON (an ack with a payload), else null. */
  json: Record<string, unknown> | null;
}

export interface SignOptions {
  /** Seconds since the epoch; defaults to now. Tests set old or future values. */
  timestamp?: number;
  /** Replaces the computed signature (bad signature tests). */
  signature?: string;
  /** Sent as x-slack-retry-num / x-slack-retry-reason, as Slack marks a redelivery. */
  retryNum?: number;
}

/** The v0 signature Slack puts on every request: HMAC-SHA256 of `v0:{ts}:{raw body}`. */
export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * Posts to the app's HTTP endpoint exactly as Slack does: events as JSON, slash commands and
 * interactions as `application/x-www-form-urlencoded` without a charset, every body signed.
 */
export class SlackSigner {
  /** How long the app took to answer the last request (its ack), in ms. */
  lastAckMs = 0;

  constructor(
    private readonly url: string,
    private readonly secret: string,
  ) {}

  async event(envelope: Record<string, unknown>, options: SignOptions = {}): Promise<SlackResponse> {
    return this.post(JSON.stringify(envelope), 'application/json', options);
  }

  async command(fields: Record<string, string>, options: SignOptions = {}): Promise<SlackResponse> {
    return this.post(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);
  }

  async interaction(payload: Record<string, unknown>, options: SignOptions = {}): Promise<SlackResponse> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.post(body, 'application/x-www-form-urlencoded', options);
  }

  async post(rawBody: string, contentType: string, options: SignOptions = {}): Promise<SlackResponse> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(this.secret, timestamp, rawBody),
    };
    if (options.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(options.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    const started = performance.now();
    const response = await fetch(this.url, { method: 'POST', headers, body: rawBody });
    const body = await response.text();
    this.lastAckMs = performance.now() - started;
    return { status: response.status, body, json: parseJson(body) };
  }
}

function parseJson(body: string): Record<string, unknown> | null {
  if (!body.startsWith('{')) return null;
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return null;
  }
}
