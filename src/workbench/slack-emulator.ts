import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A workspace member as users.info describes them. */
export interface EmulatedUser {
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

/** One Web API call as the emulator received it, arguments decoded. */
export interface EmulatedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | null;
  ok: boolean;
  error?: string;
}

/** A message as it stands now (chat.update applied). */
export interface EmulatedMessage {
  channel: string;
  ts: string;
  /** The bot's user id for what the app posted; the person's for what they wrote. */
  user: string;
  text: string;
  blocks: unknown[];
  threadTs?: string;
  /** Only this user sees it (chat.postEphemeral, an ephemeral `respond`). */
  ephemeralTo?: string;
}

/** A modal or Home tab as it stands now. */
export interface EmulatedView {
  id: string;
  hash: string;
  userId: string;
  view: Record<string, unknown>;
  type: 'modal' | 'home';
}

/** A file a member uploaded (a modal's file_input), as Slack keeps it until deleted. */
export interface EmulatedFile {
  id: string;
  userId: string;
  name: string;
  /** What the browser declared; the app must not trust it. */
  mimetype: string;
  bytes: Buffer;
  deleted: boolean;
}

/** What the server sends back for one call; null leaves the call unanswered. */
export interface EmulatedReply {
  status?: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

export interface EmulatorIdentity {
  teamId: string;
  botToken: string;
  botUserId: string;
  botId: string;
}

const TRIGGER_LIFETIME_MS = 3_000;

/**
 * The part of the Slack Web API the app uses, in process on loopback: it records every call,
 * keeps messages, modals, Home tabs and uploaded files so updates apply as in Slack, answers
 * users.info from the members it is given, and takes `response_url` posts. The workbench page
 * reads its state, and the tests' fake Slack builds on it; the app talks to it through
 * `SLACK_API_URL` exactly as it talks to Slack.
 */
export class SlackEmulator {
  readonly calls: EmulatedCall[] = [];
  private readonly users = new Map<string, EmulatedUser>();
  private readonly usergroups = new Map<string, string[]>();
  /**
   * Messages by conversation, oldest first, and by conversation and ts: a long run (the bench
   * keeps thousands) must not scan every message on each chat.update or conversation read.
   */
  private readonly conversations = new Map<string, EmulatedMessage[]>();
  private readonly messagesByTs = new Map<string, EmulatedMessage>();
  private modals: EmulatedView[] = [];
  private readonly homes = new Map<string, EmulatedView>();
  private readonly files = new Map<string, EmulatedFile>();
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean; userId: string }>();
  private tsCounter = 0;

  protected constructor(
    protected readonly server: Server,
    readonly identity: EmulatorIdentity,
  ) {
    this.users.set(identity.botUserId, {
      id: identity.botUserId,
      teamId: identity.teamId,
      name: 'account-assistant',
      email: null,
      isBot: true,
    });
  }

  static async start(identity: EmulatorIdentity): Promise<SlackEmulator> {
    const emulator = new SlackEmulator(createServer(), identity);
    await emulator.listen();
    return emulator;
  }

  protected async listen(): Promise<void> {
    this.server.on('request', (request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  protected get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** `SLACK_API_URL` for the app. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  /**
   * Where the app's `respond()` goes for something done in this channel by this user: what it
   * posts there shows, as in Slack, in that channel to that user alone (recorded as method
   * `response_url`). Each one is unique, as Slack's are.
   */
  responseUrl(channel: string, userId: string): string {
    const unique = randomBytes(4).toString('hex');
    return `${this.base}/respond/${encodeURIComponent(channel)}/${encodeURIComponent(userId)}/${unique}`;
  }

  /** A member of the workspace (another one's with `teamId`). */
  addUser(user: Omit<EmulatedUser, 'teamId'> & { teamId?: string }): EmulatedUser {
    const member: EmulatedUser = { ...user, teamId: user.teamId ?? this.identity.teamId };
    this.users.set(member.id, member);
    return member;
  }

  setUsergroup(id: string, members: string[]): void {
    this.usergroups.set(id, members);
  }

  /** A member uploads a file through a file_input; the returned id goes into the view submission. */
  uploadFile(userId: string, file: { name: string; mimetype: string; bytes: Buffer }): EmulatedFile {
    const stored: EmulatedFile = { id: `F${randomId()}`, userId, deleted: false, ...file };
    this.files.set(stored.id, stored);
    return stored;
  }

  file(id: string): EmulatedFile | undefined {
    return this.files.get(id);
  }

  /** The file object Slack puts in a view submission's file_input state and in files.info. */
  fileObject(id: string): Record<string, unknown> {
    const file = this.files.get(id);
    if (!file) throw new Error(`no uploaded file ${id}`);
    const url = `${this.base}/files-pri/${this.identity.teamId}-${file.id}/${encodeURIComponent(file.name)}`;
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

  user(id: string): EmulatedUser | undefined {
    return this.users.get(id);
  }

  /** A trigger id as Slack puts in an interaction: usable once, for 3 seconds. */
  issueTrigger(userId: string): string {
    const id = `${Date.now()}.${randomBytes(6).toString('hex')}`;
    this.triggers.set(id, { issuedAt: Date.now(), used: false, userId });
    return id;
  }

  dmChannelOf(userId: string): string {
    return `D${userId}`;
  }

  /** A message a person wrote (the DM text or a channel mention Slack would show). */
  addPersonMessage(channel: string, userId: string, text: string, threadTs?: string): EmulatedMessage {
    const message: EmulatedMessage = {
      channel,
      ts: this.nextTs(),
      user: userId,
      text,
      blocks: [],
      ...(threadTs ? { threadTs } : {}),
    };
    this.keep(message);
    return message;
  }

  /** Messages in a conversation that this viewer sees (without one: every message), oldest first. */
  messagesIn(channel: string, viewer?: string): EmulatedMessage[] {
    return (this.conversations.get(channel) ?? []).filter(
      (message) =>
        viewer === undefined || message.ephemeralTo === undefined || message.ephemeralTo === viewer,
    );
  }

  message(channel: string, ts: string): EmulatedMessage | undefined {
    return this.messagesByTs.get(`${channel} ${ts}`);
  }

  private keep(message: EmulatedMessage): void {
    const conversation = this.conversations.get(message.channel);
    if (conversation) conversation.push(message);
    else this.conversations.set(message.channel, [message]);
    this.messagesByTs.set(`${message.channel} ${message.ts}`, message);
  }

  /** The modal stack of this user, bottom first. */
  modalStack(userId: string): EmulatedView[] {
    return this.modals.filter((view) => view.userId === userId);
  }

  modal(viewId: string): EmulatedView | undefined {
    return this.modals.find((view) => view.id === viewId);
  }

  home(userId: string): EmulatedView | undefined {
    return this.homes.get(userId);
  }

  /** A modal or a Home tab by its view id. */
  viewById(viewId: string): EmulatedView | undefined {
    return this.modal(viewId) ?? [...this.homes.values()].find((home) => home.id === viewId);
  }

  /** Slack removes a modal once it is submitted without a new view, or closed. */
  closeModal(viewId: string): void {
    this.modals = this.modals.filter((view) => view.id !== viewId);
  }

  /** `response_action: clear`: every modal of the user goes. */
  clearModals(userId: string): void {
    for (const view of this.modalStack(userId)) this.closeModal(view.id);
  }

  /** `response_action: update`: the same view id with a new view and hash. */
  replaceModal(viewId: string, view: Record<string, unknown>): void {
    this.modals = this.modals.map((current) =>
      current.id === viewId ? { ...current, view, hash: newHash() } : current,
    );
  }

  /** `response_action: push`, or a modal opened on a trigger. */
  pushModal(userId: string, view: Record<string, unknown>): EmulatedView {
    const stored: EmulatedView = { id: newViewId(), hash: newHash(), userId, view, type: 'modal' };
    this.modals.push(stored);
    return stored;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.url?.startsWith('/files-pri/')) {
      this.serveFile(request, response);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', 'http://emulator');
    const respondTo = /^\/respond\/([^/]+)\/([^/]+)\//.exec(url.pathname);
    const method = respondTo ? 'response_url' : url.pathname.replace(/^\/api\//, '');
    const args: Record<string, unknown> = {
      ...decodeArgs(raw, request.headers['content-type'] ?? ''),
      ...(respondTo
        ? { channel: decodeURIComponent(respondTo[1] ?? ''), user: decodeURIComponent(respondTo[2] ?? '') }
        : {}),
    };
    const authorization = request.headers.authorization;
    const token = authorization?.startsWith('Bearer ')
      ? authorization.slice(7)
      : typeof args.token === 'string'
        ? args.token
        : null;
    const reply = this.reply(method, args, token);
    if (reply === null) {
      this.record(method, args, token, fail('no answer'));
      return;
    }
    this.record(method, args, token, reply.body);
    response
      .writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers })
      .end(JSON.stringify(reply.body));
  }

  /** The answer to one call; a subclass may fail or hold some calls first. */
  protected reply(method: string, args: Record<string, unknown>, token: string | null): EmulatedReply | null {
    return { body: this.answer(method, args, token) };
  }

  protected record(
    method: string,
    args: Record<string, unknown>,
    token: string | null,
    body: Record<string, unknown>,
  ): void {
    const ok = body.ok === true;
    this.calls.push({ method, args, token, ok, ...(ok ? {} : { error: String(body.error) }) });
  }

  protected answer(
    method: string,
    args: Record<string, unknown>,
    token: string | null,
  ): Record<string, unknown> {
    // A response_url is its own credential: Slack takes no token there.
    if (method === 'response_url') return this.postResponse(args);
    if (token !== this.identity.botToken) return fail('invalid_auth');
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'http://workbench.invalid/',
          team: 'Workbench',
          user: 'account-assistant',
          team_id: this.identity.teamId,
          user_id: this.identity.botUserId,
          bot_id: this.identity.botId,
        };
      case 'chat.postMessage':
        return this.postMessage(args);
      case 'chat.postEphemeral':
        return this.postEphemeral(args);
      case 'chat.update':
        return this.updateMessage(args);
      case 'chat.getPermalink':
        return {
          ok: true,
          permalink: `#${String(args.channel)}/${String(args.message_ts)}`,
        };
      case 'conversations.open': {
        const user = String(args.users ?? '').split(',')[0] ?? '';
        return this.users.has(user)
          ? { ok: true, channel: { id: this.dmChannelOf(user) } }
          : fail('user_not_found');
      }
      case 'users.info': {
        const user = this.users.get(String(args.user));
        return user ? { ok: true, user: describeUser(user) } : fail('user_not_found');
      }
      case 'users.profile.get': {
        const user = this.users.get(String(args.user));
        return user ? { ok: true, profile: describeUser(user).profile } : fail('user_not_found');
      }
      case 'usergroups.users.list': {
        const members = this.usergroups.get(String(args.usergroup));
        return members ? { ok: true, users: members } : fail('no_such_subteam');
      }
      case 'files.info': {
        const file = this.files.get(String(args.file));
        if (!file) return fail('file_not_found');
        if (file.deleted) return fail('file_deleted');
        return { ok: true, file: this.fileObject(file.id) };
      }
      case 'files.delete': {
        const file = this.files.get(String(args.file));
        if (!file || file.deleted) return fail('file_not_found');
        file.deleted = true;
        return { ok: true };
      }
      case 'views.open':
      case 'views.push':
        return this.openView(args, method === 'views.push');
      case 'views.update':
        return this.updateView(args);
      case 'views.publish':
        return this.publishHome(args);
      default:
        return fail('unknown_method');
    }
  }

  /** url_private: only with the bot token, as Slack serves private files. */
  private serveFile(request: IncomingMessage, response: ServerResponse): void {
    const id = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\//.exec(request.url ?? '')?.[1] ?? '';
    const file = this.files.get(id);
    const authorized = request.headers.authorization === `Bearer ${this.identity.botToken}`;
    const ok = authorized && file !== undefined && !file.deleted;
    this.calls.push({
      method: 'files.download',
      args: { file: id },
      token: authorized ? this.identity.botToken : null,
      ok,
    });
    if (!authorized) {
      response.writeHead(302, { location: `${this.base}/signin` }).end();
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
    if (!channel) return fail('channel_not_found');
    if (args.text === undefined && args.blocks === undefined) return fail('no_text');
    const message: EmulatedMessage = {
      channel,
      ts: this.nextTs(),
      user: this.identity.botUserId,
      text: String(args.text ?? ''),
      blocks: Array.isArray(args.blocks) ? args.blocks : [],
      ...(typeof args.thread_ts === 'string' ? { threadTs: args.thread_ts } : {}),
    };
    this.keep(message);
    return { ok: true, channel, ts: message.ts, message: { text: message.text, blocks: message.blocks } };
  }

  private postEphemeral(args: Record<string, unknown>): Record<string, unknown> {
    const channel = this.resolveChannel(args.channel);
    if (!channel) return fail('channel_not_found');
    if (!this.users.has(String(args.user))) return fail('user_not_in_channel');
    const message: EmulatedMessage = {
      channel,
      ts: this.nextTs(),
      user: this.identity.botUserId,
      text: String(args.text ?? ''),
      blocks: Array.isArray(args.blocks) ? args.blocks : [],
      ephemeralTo: String(args.user),
      ...(typeof args.thread_ts === 'string' ? { threadTs: args.thread_ts } : {}),
    };
    this.keep(message);
    return { ok: true, message_ts: message.ts };
  }

  private postResponse(args: Record<string, unknown>): Record<string, unknown> {
    this.keep({
      channel: String(args.channel),
      ts: this.nextTs(),
      user: this.identity.botUserId,
      text: String(args.text ?? ''),
      blocks: Array.isArray(args.blocks) ? args.blocks : [],
      ...(args.response_type === 'in_channel' ? {} : { ephemeralTo: String(args.user) }),
    });
    return { ok: true };
  }

  private updateMessage(args: Record<string, unknown>): Record<string, unknown> {
    const channel = this.resolveChannel(args.channel);
    const message = channel ? this.message(channel, String(args.ts)) : undefined;
    if (!message) return fail('message_not_found');
    if (args.text !== undefined) message.text = String(args.text);
    if (Array.isArray(args.blocks)) message.blocks = args.blocks;
    return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
  }

  private openView(args: Record<string, unknown>, push: boolean): Record<string, unknown> {
    const trigger = this.triggers.get(String(args.trigger_id ?? ''));
    if (!trigger) return fail('invalid_trigger_id');
    if (trigger.used) return fail('exchanged_trigger_id');
    if (Date.now() - trigger.issuedAt > TRIGGER_LIFETIME_MS) return fail('expired_trigger_id');
    const view = args.view as Record<string, unknown> | undefined;
    const invalid = invalidModal(view);
    if (invalid) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [invalid] } };
    trigger.used = true;
    if (push && this.modalStack(trigger.userId).length === 0) return fail('not_allowed');
    if (!push) this.clearModals(trigger.userId);
    const stored = this.pushModal(trigger.userId, view as Record<string, unknown>);
    return { ok: true, view: { ...stored.view, id: stored.id, hash: stored.hash } };
  }

  private updateView(args: Record<string, unknown>): Record<string, unknown> {
    const view = args.view as Record<string, unknown> | undefined;
    const stored =
      typeof args.view_id === 'string'
        ? this.modal(args.view_id)
        : this.modals.find((candidate) => candidate.view.external_id === args.external_id);
    if (!stored) return fail('not_found');
    if (typeof args.hash === 'string' && args.hash !== stored.hash) return fail('hash_conflict');
    const invalid = invalidModal(view);
    if (invalid) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [invalid] } };
    this.replaceModal(stored.id, view as Record<string, unknown>);
    const updated = this.modal(stored.id) ?? stored;
    return { ok: true, view: { ...updated.view, id: updated.id, hash: updated.hash } };
  }

  private publishHome(args: Record<string, unknown>): Record<string, unknown> {
    const userId = String(args.user_id ?? '');
    if (!this.users.has(userId)) return fail('user_not_found');
    const view = args.view as Record<string, unknown> | undefined;
    if (!view || view.type !== 'home') return fail('invalid_arguments');
    if (Array.isArray(view.blocks) && view.blocks.length > 100) return fail('invalid_blocks');
    const stored: EmulatedView = {
      id: this.homes.get(userId)?.id ?? newViewId(),
      hash: newHash(),
      userId,
      view,
      type: 'home',
    };
    this.homes.set(userId, stored);
    return { ok: true, view: { ...view, id: stored.id, hash: stored.hash } };
  }
}

function fail(error: string): Record<string, unknown> {
  return { ok: false, error };
}

function newHash(): string {
  return `${Date.now()}.${randomBytes(4).toString('hex')}`;
}

function newViewId(): string {
  return `V${randomId()}`;
}

function randomId(): string {
  return randomBytes(5).toString('hex').toUpperCase();
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

function describeUser(user: EmulatedUser): { profile: Record<string, unknown> } & Record<string, unknown> {
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
  if (contentType.startsWith('application/json')) return raw ? parseObject(raw) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? tryJson(value) : value;
  }
  return args;
}

function parseObject(raw: string): Record<string, unknown> {
  const parsed = tryJson(raw);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
