import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type * as Emulator from '../../../src/workbench/slack-emulator.js';
import { SlackEmulator, type EmulatedReply } from '../../../src/workbench/slack-emulator.js';

export type FakeUser = Emulator.EmulatedUser;
export type RecordedCall = Emulator.EmulatedCall;
export type FakeMessage = Emulator.EmulatedMessage;
export type FakeView = Emulator.EmulatedView;

type Failure = { error: string; retryAfterSeconds?: number };

export interface FakeSlackOptions {
  teamId?: string;
  botToken?: string;
  appToken?: string;
  botUserId?: string;
  botId?: string;
}

/**
 * The workbench's Slack Web API emulator with what tests add: failures and hangs on demand,
 * waiting for calls, and Socket Mode (apps.connections.open hands out a ws:// URL on the same
 * server, where tests push envelopes and read the app's acks).
 */
export class FakeSlack extends SlackEmulator {
  readonly appToken: string;
  private readonly failures = new Map<string, Failure[]>();
  private readonly hangs = new Map<string, number>();
  private readonly sockets = new Set<WebSocket>();
  private readonly acks = new Map<string, (ack: SocketAck) => void>();
  private readonly socketWaiters: (() => void)[] = [];
  private readonly callWaiters: (() => void)[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private pinger: NodeJS.Timeout | undefined;

  private constructor(options: FakeSlackOptions) {
    super(createServer(), {
      teamId: options.teamId ?? 'T0TEST',
      botToken: options.botToken ?? 'xoxb-test-bot-token',
      botUserId: options.botUserId ?? 'U0BOT',
      botId: options.botId ?? 'B0BOT',
    });
    this.appToken = options.appToken ?? 'xapp-test-app-token';
  }

  static override async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(options);
    fake.server.on('upgrade', (request, socket, head) => {
      fake.wss.handleUpgrade(request, socket, head, (ws) => fake.accept(ws));
    });
    await fake.listen();
    // Slack pings every few seconds; the client drops a connection that stays silent.
    fake.pinger = setInterval(() => {
      for (const ws of fake.sockets) ws.ping();
    }, 2_000);
    return fake;
  }

  get teamId(): string {
    return this.identity.teamId;
  }

  get botToken(): string {
    return this.identity.botToken;
  }

  get botUserId(): string {
    return this.identity.botUserId;
  }

  get botId(): string {
    return this.identity.botId;
  }

  /** The next calls of `method` fail with this Slack error (`ratelimited` answers HTTP 429). */
  failNext(
    method: string,
    error: string,
    options: { times?: number; retryAfterSeconds?: number } = {},
  ): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < (options.times ?? 1); i += 1) {
      queue.push({
        error,
        ...(options.retryAfterSeconds ? { retryAfterSeconds: options.retryAfterSeconds } : {}),
      });
    }
    this.failures.set(method, queue);
  }

  /** Forgets the failures still queued for `method`. */
  clearFailures(method: string): void {
    this.failures.delete(method);
  }

  /** The next call of `method` is never answered: the connection stays open, as in a Slack brownout. */
  hangNext(method: string): void {
    this.hangs.set(method, (this.hangs.get(method) ?? 0) + 1);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Messages in the DM with this user, oldest first. */
  dmMessages(userId: string): FakeMessage[] {
    return this.messagesIn(this.dmChannelOf(userId));
  }

  /** The modal on top of this user's stack, as it stands now. */
  openModal(userId: string): FakeView | undefined {
    return this.modalStack(userId).at(-1);
  }

  closeView(id: string): void {
    this.closeModal(id);
  }

  replaceView(id: string, view: Record<string, unknown>): void {
    this.replaceModal(id, view);
  }

  pushView(userId: string, view: Record<string, unknown>): FakeView {
    return this.pushModal(userId, view);
  }

  /** Resolves once at least `count` calls of `method` were recorded. */
  async waitForCalls(method: string, count = 1, timeoutMs = 5_000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.callsOf(method);
      if (found.length >= count) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} call(s) of ${method}, saw ${found.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.callWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  // ---- Socket Mode ----

  async waitForSocket(timeoutMs = 5_000): Promise<void> {
    if (this.sockets.size > 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the app did not open a Socket Mode connection')),
        timeoutMs,
      );
      this.socketWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Pushes an envelope as Slack does and resolves with the app's acknowledgement. */
  async push(
    type: 'events_api' | 'slash_commands' | 'interactive',
    payload: Record<string, unknown>,
    timeoutMs = 5_000,
  ): Promise<SocketAck> {
    const [socket] = this.sockets;
    if (!socket) throw new Error('no Socket Mode connection is open');
    const envelopeId = randomBytes(8).toString('hex');
    const acked = new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`envelope ${type} was not acknowledged`)), timeoutMs);
      this.acks.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        retry_attempt: 0,
        retry_reason: '',
      }),
    );
    return acked;
  }

  override async close(): Promise<void> {
    clearInterval(this.pinger);
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
    await super.close();
  }

  protected override reply(
    method: string,
    args: Record<string, unknown>,
    token: string | null,
  ): EmulatedReply | null {
    const hangs = this.hangs.get(method) ?? 0;
    if (hangs > 0) {
      this.hangs.set(method, hangs - 1);
      return null;
    }
    const failure = this.failures.get(method)?.shift();
    if (!failure) return super.reply(method, args, token);
    const limited = failure.error === 'ratelimited';
    return {
      status: limited ? 429 : 200,
      headers: limited ? { 'retry-after': String(failure.retryAfterSeconds ?? 1) } : {},
      body: { ok: false, error: failure.error },
    };
  }

  protected override record(
    method: string,
    args: Record<string, unknown>,
    token: string | null,
    body: Record<string, unknown>,
  ): void {
    super.record(method, args, token, body);
    for (const wake of this.callWaiters.splice(0)) wake();
  }

  protected override answer(
    method: string,
    args: Record<string, unknown>,
    token: string | null,
  ): Record<string, unknown> {
    if (method !== 'apps.connections.open') return super.answer(method, args, token);
    if (token !== this.appToken) return { ok: false, error: 'invalid_auth' };
    return {
      ok: true,
      url: `${this.base.replace(/^http/, 'ws')}/link/?ticket=${randomBytes(8).toString('hex')}`,
    };
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      const ack = JSON.parse(String(data)) as SocketAck;
      this.acks.get(ack.envelope_id)?.(ack);
      this.acks.delete(ack.envelope_id);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0TEST' } }));
    for (const wake of this.socketWaiters.splice(0)) wake();
  }
}

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}
