import type { RecordedCall } from './fake-slack.js';

/**
 * The scanner every Slack test runs over every outgoing Web API call (security.md, Slack
 * ingress): codes and passwords never go to Slack; document numbers only into a reviewer's
 * own modal (never a channel, not even the review channel); reset and change-password links (or their tokens) only to a DM, and there only
 * as the URL of a button.
 */

export type SecretKind = 'code' | 'password' | 'token' | 'link' | 'document';

export interface Secret {
  kind: SecretKind;
  value: string;
}

export interface Leak {
  kind: SecretKind | 'token-like';
  method: string;
  audience: Audience;
  path: string;
}

type Audience = 'dm' | 'private-view' | 'channel' | 'review-channel' | 'none';

/** Arguments that Slack or the app generates; they never carry what a person wrote. */
const STRUCTURAL = new Set([
  'token',
  'channel',
  'ts',
  'thread_ts',
  'trigger_id',
  'view_id',
  'hash',
  'user',
  'user_id',
  'users',
]);

const MESSAGE_METHODS = new Set([
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'chat.scheduleMessage',
  'response_url',
]);
const VIEW_METHODS = new Set(['views.open', 'views.update', 'views.push', 'views.publish']);

function audienceOf(call: RecordedCall, reviewChannelId: string | null): Audience {
  if (VIEW_METHODS.has(call.method)) return 'private-view';
  if (!MESSAGE_METHODS.has(call.method)) return 'none';
  const channel = String(call.args.channel ?? '');
  if (reviewChannelId !== null && channel === reviewChannelId) return 'review-channel';
  if (/^[DUW]/.test(channel) && call.method !== 'chat.postEphemeral') return 'dm';
  return 'channel';
}

function strings(value: unknown, path: string, out: { path: string; value: string }[]): void {
  if (typeof value === 'string') out.push({ path, value });
  else if (Array.isArray(value)) value.forEach((item, index) => strings(item, `${path}[${index}]`, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) strings(child, path ? `${path}.${key}` : key, out);
  }
}

function contains(haystack: string, secret: string): boolean {
  if (secret.length === 0) return false;
  if (!/^\d+$/.test(secret)) return haystack.includes(secret);
  // A numeric code counts only standing on its own, not inside a longer number.
  return new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(haystack);
}

/** A link or token may sit in a DM only as the `url` of a button. */
function isButtonUrl(path: string, call: RecordedCall): boolean {
  if (!path.endsWith('.url')) return false;
  const parentPath = path.slice(0, -'.url'.length);
  const parent = parentPath
    .split(/\.|\[|\]/)
    .filter(Boolean)
    .reduce<unknown>((node, key) => {
      if (typeof node !== 'object' || node === null) return undefined;
      return (node as Record<string, unknown>)[key];
    }, call.args);
  return typeof parent === 'object' && parent !== null && (parent as { type?: unknown }).type === 'button';
}

function allowed(kind: SecretKind, audience: Audience, path: string, call: RecordedCall): boolean {
  switch (kind) {
    case 'code':
    case 'password':
      return false;
    case 'document':
      return audience === 'private-view' && call.method !== 'views.publish';
    case 'token':
    case 'link':
      return audience === 'dm' && isButtonUrl(path, call);
  }
}

/** 43 base64url characters is a 256-bit token; nothing a person reads looks like that. */
const TOKEN_LIKE = /[A-Za-z0-9_-]{40,}/;

export class LeakScanner {
  private readonly secrets: Secret[] = [];
  private readonly sources: (() => Secret[])[] = [];

  constructor(private readonly reviewChannelId: string | null = null) {}

  add(kind: SecretKind, value: string): void {
    this.secrets.push({ kind, value });
  }

  /** Secrets found later (codes in captured mail and SMS), read at scan time. */
  addSource(source: () => Secret[]): void {
    this.sources.push(source);
  }

  scan(calls: readonly RecordedCall[]): Leak[] {
    const secrets = [...this.secrets, ...this.sources.flatMap((source) => source())];
    const leaks: Leak[] = [];
    for (const call of calls) {
      const audience = audienceOf(call, this.reviewChannelId);
      if (audience === 'none') continue;
      const found: { path: string; value: string }[] = [];
      strings(call.args, '', found);
      for (const { path, value } of found) {
        if (STRUCTURAL.has(path)) continue;
        for (const secret of secrets) {
          if (contains(value, secret.value) && !allowed(secret.kind, audience, path, call)) {
            leaks.push({ kind: secret.kind, method: call.method, audience, path });
          }
        }
        if ((audience === 'channel' || audience === 'review-channel') && TOKEN_LIKE.test(value)) {
          leaks.push({ kind: 'token-like', method: call.method, audience, path });
        }
      }
    }
    return leaks;
  }
}

/** Codes (six digits on their own) and links in captured messages: everything a person receives. */
export function secretsInText(text: string): Secret[] {
  const codes = [...text.matchAll(/(?<!\d)(\d{6})(?!\d)/g)].map((match) => ({
    kind: 'code' as const,
    value: match[1] ?? '',
  }));
  const links = [...text.matchAll(/https?:\/\/[^\s<>"]+/g)]
    .map((match) => match[0])
    .filter((link) => TOKEN_LIKE.test(link))
    .map((link) => ({ kind: 'link' as const, value: link }));
  const tokens = links.flatMap((link) => {
    const token = TOKEN_LIKE.exec(link.value)?.[0];
    return token ? [{ kind: 'token' as const, value: token }] : [];
  });
  return [...codes, ...links, ...tokens];
}
