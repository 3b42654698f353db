import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A workspace member as users.info describes them. */
export interface FakeUser {
  id: string;
  teamId: string;
  name: string;
  email: string | null;
  isBot?: boolean;
  /** Multi-channel guest. */
  isRestricted?: boolean;
  /** Single-channel guest. */
  isUltraRestricted?: boolean;
  deleted?: boolean;
}

/** One Web API call as Slack received it, arguments decoded (JSON-valued fields parsed). */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | null;
  ok: boolean;
  error?: string;
}

/** A message as it currently stands in a conversation (chat.update applied). */
export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  threadTs?: string;
  /** Set for chat.postEphemeral: only this user sees it. */
  ephemeralTo?: string;
}

/** A file a member uploaded (a modal's file_input), as Slack keeps it until deleted. */
export interface FakeFile {
  id: string;
  userId: string;
  name: string;
  /** What the browser declared; the app must not trust it. */
  mimetype: string;
  bytes: Buffer;
  deleted: boolean;
}

/** A modal or Home tab as it currently stands. */
export interface FakeView {
  id: string;
  hash: string;
  userId: string;
  view: Record<string, unknown>;
  /** Views stacked above (views.push) keep their own entries; closed ones are removed. */
  type: 'modal' | 'home';
}

type Failure = { error: string; retryAfterSeconds?: number };

export interface FakeSlackOptions {
  teamId?: string;
  botToken?: string;
  appToken?: string;
  botUserId?: string;
  botId?: string;
}

const TRIGGER_LIFETIME_MS = 3_000;

/**
 * The Slack Web API on loopback. It records every call, keeps messages and views so updates
 * apply like Slack's, answers users.info from configured members (guests, bots, other
 * workspaces), and serves Socket Mode: apps.connections.open hands out a ws:// URL on the same
 * server, where tests push envelopes and read the app's acks.
 */
export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly teamId: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly botUserId: string;
  readonly botId: string;
  private readonly users = new Map<string, FakeUser>();
  private readonly usergroups = new Map<string, string[]>();
  private readonly messages: FakeMessage[] = [];
  private readonly views = new Map<string, FakeView>();
  private readonly homes = new Map<string, FakeView>();
  private readonly files = new Map<string, FakeFile>();
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean; userId: string }>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly hangs = new Map<string, number>();
  private readonly sockets = new Set<WebSocket>();
  private readonly acks = new Map<string, (ack: SocketAck) => void>();
  private readonly socketWaiters: (() => void)[] = [];
  private readonly callWaiters: (() => void)[] = [];
  private tsCounter = 0;
  private readonly wss: WebSocketServer;
  private pinger: NodeJS.Timeout | undefined;

  private constructor(
    private readonly server: Server,
    options: FakeSlackOptions,
  ) {
    this.teamId = options.teamId ?? 'T0TEST';
    this.botToken = options.botToken ?? 'xoxb-test-bot-token';
    this.appToken = options.appToken ?? 'xapp-test-app-token';
    this.botUserId = options.botUserId ?? 'U0BOT';
    this.botId = options.botId ?? 'B0BOT';
    this.wss = new WebSocketServer({ noServer: true });
    this.users.set(this.botUserId, {
      id: this.botUserId,
      teamId: this.teamId,
      name: 'account-assistant',
      email: null,
      isBot: true,
    });
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const server = createServer();
    const fake = new FakeSlack(server, options);
    server.on('request', (request, response) => void fake.handle(request, response));
    server.on('upgrade', (request, socket, head) => {
      fake.wss.handleUpgrade(request, socket, head, (ws) => fake.accept(ws));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // Slack pings every few seconds; the client drops a connection that stays silent.
    fake.pinger = setInterval(() => {
      for (const ws of fake.sockets) ws.ping();
    }, 2_000);
    return fake;
  }

  /**
   * A command's or message action's response_url: what the app posts there shows, like in
   * Slack, in `channel` to `userId` alone (recorded as method `response_url`).
   */
  responseUrl(channel: string, userId: string): string {
    const port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${port}/response/${channel}/${userId}/${randomBytes(4).toString('hex')}`;
  }

  /** Give this to the app as SLACK_API_URL (clientOptions.slackApiUrl). */
  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  addUser(user: Omit<FakeUser, 'teamId'> & { teamId?: string }): FakeUser {
    const member: FakeUser = { ...user, teamId: user.teamId ?? this.teamId };
    this.users.set(member.id, member);
    return member;
  }

  setUsergroup(id: string, members: string[]): void {
    this.usergroups.set(id, members);
  }

  /** A member uploads a file through a file_input; the returned id goes into the view submission. */
  uploadFile(userId: string, file: { name: string; mimetype: string; bytes: Buffer }): FakeFile {
    const stored: FakeFile = {
      id: `F${randomBytes(5).toString('hex').toUpperCase()}`,
      userId,
      deleted: false,
      ...file,
    };
    this.files.set(stored.id, stored);
    return stored;
  }

  file(id: string): FakeFile | undefined {
    return this.files.get(id);
  }

  /** The file object Slack puts in a view submission's file_input state and in files.info. */
  fileObject(id: string): Record<string, unknown> {
    const file = this.files.get(id);
    if (!file) throw new Error(`no uploaded file ${id}`);
    const port = (this.server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}/files-pri/${this.teamId}-${file.id}/${encodeURIComponent(file.name)}`;
    return {
      id: file.id,
      name: file.name,
      title: file.name,
      mimetype: file.mimetype,
      filetype: file.name.split('.').at(-1) ?? 'binary',
      size: file.bytes.length,
      user: file.userId,
      url_private: url,
      url_private_download: `${url}?download=1`,
    };
  }

  /** A trigger id as Slack puts in an interaction payload: usable once, for 3 seconds. */
  issueTrigger(userId: string): string {
    const id = `${Date.now()}.${randomBytes(6).toString('hex')}`;
    this.triggers.set(id, { issuedAt: Date.now(), used: false, userId });
    return id;
  }

  /** The next calls of `method` fail with this Slack error (`ratelimited` answers HTTP 429). */
  failNext(
    method: string,
    error: string,
    options: { times?: number; retryAfterSeconds?: number } = {},
  ): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < (options.times ?? 1); i += 1) {
      queue.push({ error, retryAfterSeconds: options.retryAfterSeconds });
    }
    this.failures.set(method, queue);
  }

  /** The next call of `method` is never answered: the connection stays open, as in a Slack brownout. */
  hangNext(method: string): void {
    this.hangs.set(method, (this.hangs.get(method) ?? 0) + 1);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The DM channel id Slack would give the conversation with this user. */
  dmChannelOf(userId: string): string {
    return `D${userId}`;
  }

  /** Messages in a conversation as they stand now, oldest first. */
  messagesIn(channel: string): FakeMessage[] {
    return this.messages.filter((message) => message.channel === channel);
  }

  /** Messages in the DM with this user, oldest first. */
  dmMessages(userId: string): FakeMessage[] {
    return this.messagesIn(this.dmChannelOf(userId));
  }

  message(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.find((message) => message.channel === channel && message.ts === ts);
  }

  /** The modal on top of this user's stack, as it stands now. */
  openModal(userId: string): FakeView | undefined {
    return [...this.views.values()].filter((view) => view.userId === userId).at(-1);
  }

  viewById(id: string): FakeView | undefined {
    return this.views.get(id) ?? [...this.homes.values()].find((home) => home.id === id);
  }

  /** Slack removes a modal once it is submitted without a new view, or closed. */
  closeView(id: string): void {
    this.views.delete(id);
  }

  /** Replaces a modal as `response_action: update` would. */
  replaceView(id: string, view: Record<string, unknown>): void {
    const current = this.views.get(id);
    if (current) this.views.set(id, { ...current, view, hash: newHash() });
  }

  /** Stacks a modal as `response_action: push` would. */
  pushView(userId: string, view: Record<string, unknown>): FakeView {
    return this.storeModal(userId, view);
  }

  home(userId: string): FakeView | undefined {
    return this.homes.get(userId);
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

  async close(): Promise<void> {
    clearInterval(this.pinger);
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
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

  // ---- Web API ----

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.url?.startsWith('/files-pri/')) {
      this.serveFile(request, response);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', 'http://fake');
    const responseTo = /^\/response\/([A-Z0-9]+)\/([A-Z0-9]+)\//.exec(url.pathname);
    const method = responseTo ? 'response_url' : url.pathname.replace(/^\/api\//, '');
    const args: Record<string, unknown> = {
      ...decodeArgs(raw, request.headers['content-type'] ?? ''),
      ...(responseTo ? { channel: responseTo[1], user: responseTo[2] } : {}),
    };
    const authorization = request.headers.authorization;
    const token = authorization?.startsWith('Bearer ')
      ? authorization.slice(7)
      : ((args.token as string) ?? null);

    const hangs = this.hangs.get(method) ?? 0;
    if (hangs > 0) {
      this.hangs.set(method, hangs - 1);
      this.calls.push({ method, args, token, ok: false, error: 'no answer' });
      return;
    }
    const failure = this.failures.get(method)?.shift();
    let status = 200;
    let body: Record<string, unknown>;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (failure) {
      if (failure.error === 'ratelimited') {
        status = 429;
        headers['retry-after'] = String(failure.retryAfterSeconds ?? 1);
      }
      body = { ok: false, error: failure.error };
    } else {
      body = this.answer(method, args, token);
    }
    const error = body.ok === true ? undefined : String(body.error);
    this.calls.push({ method, args, token, ok: body.ok === true, ...(error ? { error } : {}) });
    for (const wake of this.callWaiters.splice(0)) wake();
    response.writeHead(status, headers).end(JSON.stringify(body));
  }

  private answer(
    method: string,
    args: Record<string, unknown>,
    token: string | null,
  ): Record<string, unknown> {
    if (method === 'apps.connections.open') {
      if (token !== this.appToken) return { ok: false, error: 'invalid_auth' };
      const port = (this.server.address() as AddressInfo).port;
      return { ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=${randomBytes(8).toString('hex')}` };
    }
    // A response_url is its own credential: Slack takes no token there.
    if (method === 'response_url') return this.postResponse(args);
    if (token !== this.botToken) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://test.slack.invalid/',
          team: 'Test',
          user: 'account-assistant',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
        };
      case 'chat.postMessage':
        return this.postMessage(args);
      case 'chat.postEphemeral':
        return this.postEphemeral(args);
      case 'chat.update':
        return this.updateMessage(args);
      case 'conversations.open': {
        const users = String(args.users ?? '').split(',');
        const [user] = users;
        if (!user || !this.users.has(user)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: this.dmChannelOf(user) } };
      }
      case 'users.info': {
        const user = this.users.get(String(args.user));
        return user ? { ok: true, user: describeUser(user) } : { ok: false, error: 'user_not_found' };
      }
      case 'users.profile.get': {
        const user = this.users.get(String(args.user));
        return user
          ? { ok: true, profile: describeUser(user).profile }
          : { ok: false, error: 'user_not_found' };
      }
      case 'usergroups.users.list': {
        const members = this.usergroups.get(String(args.usergroup));
        return members ? { ok: true, users: members } : { ok: false, error: 'no_such_subteam' };
      }
      case 'views.open':
      case 'views.push':
        return this.openView(args, method === 'views.push');
      case 'views.update':
        return this.updateView(args);
      case 'views.publish':
        return this.publishHome(args);
      case 'files.info': {
        const file = this.files.get(String(args.file));
        if (!file) return { ok: false, error: 'file_not_found' };
        if (file.deleted) return { ok: false, error: 'file_deleted' };
        return { ok: true, file: this.fileObject(file.id) };
      }
      case 'files.delete': {
        const file = this.files.get(String(args.file));
        if (!file || file.deleted) return { ok: false, error: 'file_not_found' };
        file.deleted = true;
        return { ok: true };
      }
      case 'chat.getPermalink':
        return {
          ok: true,
          permalink: `https://test.slack.invalid/archives/${String(args.channel)}/p${String(args.message_ts).replace('.', '')}`,
        };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** url_private: only with the bot token, as Slack serves private files. */
  private serveFile(request: IncomingMessage, response: ServerResponse): void {
    const id = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\//.exec(request.url ?? '')?.[1] ?? '';
    const file = this.files.get(id);
    const authorized = request.headers.authorization === `Bearer ${this.botToken}`;
    const ok = authorized && file !== undefined && !file.deleted;
    this.calls.push({
      method: 'files.download',
      args: { file: id },
      token: authorized ? this.botToken : null,
      ok,
    });
    if (!authorized) {
      response.writeHead(302, { location: 'https://test.slack.invalid/signin' }).end();
      return;
    }
    if (!ok) {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': file.mimetype, 'content-length': file.bytes.length })
      .end(file.bytes);
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  /** A user id as channel means their DM, as Slack does for chat.postMessage. */
  private resolveChannel(channel: unknown): string | null {
    if (typeof channel !== 'string' || channel === '') return null;
    if (/^[UW]/.test(channel)) return this.users.has(channel) ? this.dmChannelOf(channel) : null;
    return channel;
  }

  private postMessage(args: Record<string, unknown>): Record<string, unknown> {
    const channel = this.resolveChannel(args.channel);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (args.text === undefined && args.blocks === undefined) return { ok: false, error: 'no_text' };
    const message: FakeMessage = {
      channel,
      ts: this.nextTs(),
      text: String(args.text ?? ''),
      blocks: Array.isArray(args.blocks) ? args.blocks : [],
      ...(typeof args.thread_ts === 'string' ? { threadTs: args.thread_ts } : {}),
    };
    this.messages.push(message);
    return { ok: true, channel, ts: message.ts, message: { text: message.text, blocks: message.blocks } };
  }

  private postEphemeral(args: Record<string, unknown>): Record<string, unknown> {
    const channel = this.resolveChannel(args.channel);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (!this.users.has(String(args.user))) return { ok: false, error: 'user_not_in_channel' };
    const message: FakeMessage = {
      channel,
      ts: this.nextTs(),
      text: String(args.text ?? ''),
      blocks: Array.isArray(args.blocks) ? args.blocks : [],
      ephemeralTo: String(args.user),
    };
    this.messages.push(message);
    return { ok: true, message_ts: message.ts };
  }

  private postResponse(args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel);
    const message: FakeMessage = {
      channel,
      ts: this.nextTs(),
      text: String(args.text ?? ''),
      blocks: Array.isArray(args.blocks) ? args.blocks : [],
      ...(args.response_type === 'in_channel' ? {} : { ephemeralTo: String(args.user) }),
    };
    this.messages.push(message);
    return { ok: true };
  }

  private updateMessage(args: Record<string, unknown>): Record<string, unknown> {
    const channel = this.resolveChannel(args.channel);
    const message = channel ? this.message(channel, String(args.ts)) : undefined;
    if (!message) return { ok: false, error: 'message_not_found' };
    if (args.text !== undefined) message.text = String(args.text);
    if (Array.isArray(args.blocks)) message.blocks = args.blocks;
    return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
  }

  private openView(args: Record<string, unknown>, push: boolean): Record<string, unknown> {
    const triggerId = String(args.trigger_id ?? '');
    const trigger = this.triggers.get(triggerId);
    if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
    if (trigger.used) return { ok: false, error: 'exchanged_trigger_id' };
    if (Date.now() - trigger.issuedAt > TRIGGER_LIFETIME_MS)
      return { ok: false, error: 'expired_trigger_id' };
    const view = args.view as Record<string, unknown> | undefined;
    const invalid = invalidModal(view);
    if (invalid) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [invalid] } };
    trigger.used = true;
    const userId = trigger.userId;
    if (push && !this.openModal(userId)) return { ok: false, error: 'not_allowed' };
    const stored = this.storeModal(userId, view as Record<string, unknown>);
    return { ok: true, view: { ...stored.view, id: stored.id, hash: stored.hash } };
  }

  private storeModal(userId: string, view: Record<string, unknown>): FakeView {
    const stored: FakeView = {
      id: `V${randomBytes(5).toString('hex').toUpperCase()}`,
      hash: newHash(),
      userId,
      view,
      type: 'modal',
    };
    this.views.set(stored.id, stored);
    return stored;
  }

  private updateView(args: Record<string, unknown>): Record<string, unknown> {
    const view = args.view as Record<string, unknown> | undefined;
    const stored =
      typeof args.view_id === 'string'
        ? this.views.get(args.view_id)
        : [...this.views.values()].find((candidate) => candidate.view.external_id === args.external_id);
    if (!stored) return { ok: false, error: 'not_found' };
    if (typeof args.hash === 'string' && args.hash !== stored.hash)
      return { ok: false, error: 'hash_conflict' };
    const invalid = invalidModal(view);
    if (invalid) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [invalid] } };
    stored.view = view as Record<string, unknown>;
    stored.hash = newHash();
    return { ok: true, view: { ...stored.view, id: stored.id, hash: stored.hash } };
  }

  private publishHome(args: Record<string, unknown>): Record<string, unknown> {
    const userId = String(args.user_id ?? '');
    if (!this.users.has(userId)) return { ok: false, error: 'user_not_found' };
    const view = args.view as Record<string, unknown> | undefined;
    if (!view || view.type !== 'home') return { ok: false, error: 'invalid_arguments' };
    if (Array.isArray(view.blocks) && view.blocks.length > 100) return { ok: false, error: 'invalid_blocks' };
    const current = this.homes.get(userId);
    const stored: FakeView = {
      id: current?.id ?? `V${randomBytes(5).toString('hex').toUpperCase()}`,
      hash: newHash(),
      userId,
      view,
      type: 'home',
    };
    this.homes.set(userId, stored);
    return { ok: true, view: { ...view, id: stored.id, hash: stored.hash } };
  }
}

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

function newHash(): string {
  return `${Date.now()}.${randomBytes(4).toString('hex')}`;
}

/** Slack's own limits on a modal; a builder that breaks one fails here as it would in Slack. */
function invalidModal(view: Record<string, unknown> | undefined): string | null {
  if (!view || view.type !== 'modal') return 'view.type must be modal';
  const title = (view.title as { text?: string } | undefined)?.text ?? '';
  if (title.length === 0 || title.length > 24) return 'title must be 1-24 characters';
  if (Array.isArray(view.blocks) && view.blocks.length > 100) return 'at most 100 blocks';
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000)
    return 'private_metadata must be at most 3000 characters';
  for (const part of ['submit', 'close'] as const) {
    const text = (view[part] as { text?: string } | undefined)?.text;
    if (text !== undefined && text.length > 24) return `${part} must be at most 24 characters`;
  }
  return null;
}

function describeUser(user: FakeUser): Record<string, unknown> {
  return {
    id: user.id,
    team_id: user.teamId,
    name: user.name,
    real_name: user.name,
    deleted: user.deleted ?? false,
    is_bot: user.isBot ?? false,
    is_app_user: false,
    is_restricted: user.isRestricted ?? false,
    is_ultra_restricted: user.isUltraRestricted ?? false,
    tz: 'UTC',
    profile: {
      real_name: user.name,
      display_name: user.name,
      team: user.teamId,
      ...(user.email ? { email: user.email } : {}),
    },
  };
}

/** Form fields the Web API client JSON-encodes (objects, arrays). */
function decodeArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.startsWith('application/json'))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? tryJson(value) : value;
  }
  return args;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
