import { escapeHtml } from '../../core/html.js';
import {
  notifications as words,
  type ChangeKind,
  type EmailCodePurpose,
  type SmsCodePurpose,
} from '../../messages/notifications.js';

export type { ChangeKind, EmailCodePurpose, SmsCodePurpose };

/** Who reads it; `name` only personalises the greeting. */
interface Addressed {
  name?: string;
}

export type EmailTemplate = Addressed &
  (
    | { kind: 'code'; purpose: EmailCodePurpose; code: string; validForMs: number }
    | { kind: 'password-reset-link'; link: string; validForMs: number }
    /** `newValue` is already masked by the caller (SPEC §2). */
    | { kind: 'change-notice'; change: ChangeKind; at: number; newValue?: string }
    /** Dates as YYYY-MM-DD in the business time zone (see business-days.ts). */
    | { kind: 'identity-submitted'; earliest: string; latest: string; minDays: number; maxDays: number }
    | { kind: 'identity-approved' }
    | { kind: 'identity-rejected'; reason: string }
    | { kind: 'password-age-reminder'; daysSinceChange: number }
    | { kind: 'password-expiry-reminder'; expiresAt: number }
    | { kind: 'codes-locked'; until: number }
    | { kind: 'password-cooldown'; until: number }
  );

export type SmsTemplate =
  | { kind: 'code'; purpose: SmsCodePurpose; code: string; validForMs: number }
  | { kind: 'change-notice'; change: ChangeKind; at: number }
  | { kind: 'identity-approved' }
  | { kind: 'identity-rejected'; reason: string };

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** One block of a message; each renders as plain text and as escaped HTML. */
type Block =
  | { type: 'p'; text: string }
  | { type: 'code'; code: string }
  | { type: 'button'; label: string; url: string }
  | { type: 'small'; text: string };

export interface RenderOptions {
  /** IANA zone used for "when" lines. */
  timeZone: string;
}

export function renderEmail(template: EmailTemplate, options: RenderOptions): RenderedEmail {
  const { subject, blocks } = compose(template, options);
  const all: Block[] = [
    { type: 'p', text: words.greeting(template.name) },
    ...blocks,
    { type: 'p', text: words.signature },
    { type: 'small', text: words.automated },
  ];
  return { subject, text: toText(all), html: toHtml(subject, all) };
}

export function renderSms(template: SmsTemplate, options: RenderOptions): string {
  switch (template.kind) {
    case 'code':
      return words.sms.code(template.purpose, template.code, template.validForMs);
    case 'change-notice':
      return words.sms.changeNotice(template.change, formatWhen(template.at, options.timeZone));
    case 'identity-approved':
      return words.sms.identityApproved;
    case 'identity-rejected':
      return words.sms.identityRejected(template.reason);
  }
}

function compose(template: EmailTemplate, options: RenderOptions): { subject: string; blocks: Block[] } {
  const p = (text: string): Block => ({ type: 'p', text });
  switch (template.kind) {
    case 'code': {
      const t = words.email.code;
      return {
        subject: t.subject,
        blocks: [
          p(t.reason(template.purpose)),
          { type: 'code', code: template.code },
          p(t.validity(template.validForMs)),
          p(t.ignore),
        ],
      };
    }
    case 'password-reset-link': {
      const t = words.email.resetLink;
      return {
        subject: t.subject,
        blocks: [
          p(t.intro),
          { type: 'button', label: t.action, url: safeUrl(template.link) },
          p(t.validity(template.validForMs)),
          p(t.ignore),
        ],
      };
    }
    case 'change-notice': {
      const t = words.email.changeNotice;
      return {
        subject: t.subject(template.change),
        blocks: [
          p(t.what(template.change)),
          ...(template.newValue === undefined ? [] : [p(t.newValue(template.newValue))]),
          p(t.when(formatWhen(template.at, options.timeZone))),
          p(t.notYou),
        ],
      };
    }
    case 'identity-submitted': {
      const t = words.email.identitySubmitted;
      return {
        subject: t.subject,
        blocks: [
          p(t.body),
          p(t.expected(template.earliest, template.latest, template.minDays, template.maxDays)),
        ],
      };
    }
    case 'identity-approved':
      return {
        subject: words.email.identityApproved.subject,
        blocks: [p(words.email.identityApproved.body)],
      };
    case 'identity-rejected': {
      const t = words.email.identityRejected;
      return { subject: t.subject, blocks: [p(t.body), p(t.reason(template.reason)), p(t.next)] };
    }
    case 'password-age-reminder': {
      const t = words.email.passwordAge;
      return { subject: t.subject, blocks: [p(t.body(template.daysSinceChange)), p(t.advice)] };
    }
    case 'password-expiry-reminder': {
      const t = words.email.passwordExpiry;
      return {
        subject: t.subject,
        blocks: [p(t.body(formatWhen(template.expiresAt, options.timeZone))), p(t.advice)],
      };
    }
    case 'codes-locked': {
      const t = words.email.codesLocked;
      return {
        subject: t.subject,
        blocks: [p(t.body(formatWhen(template.until, options.timeZone))), p(t.ifYou), p(t.notYou)],
      };
    }
    case 'password-cooldown': {
      const t = words.email.passwordCooldown;
      return {
        subject: t.subject,
        blocks: [p(t.body(formatWhen(template.until, options.timeZone))), p(t.ifYou), p(t.notYou)],
      };
    }
  }
}

function toText(blocks: Block[]): string {
  const lines = blocks.map((block) => {
    switch (block.type) {
      case 'p':
      case 'small':
        return block.text;
      case 'code':
        return `    ${block.code}`;
      case 'button':
        return `${block.label}:\n${block.url}`;
    }
  });
  return `${lines.join('\n\n')}\n`;
}

function toHtml(subject: string, blocks: Block[]): string {
  const body = blocks
    .map((block) => {
      switch (block.type) {
        case 'p':
          return `<p>${escapeHtml(block.text)}</p>`;
        case 'small':
          return `<p style="color:#666;font-size:12px">${escapeHtml(block.text)}</p>`;
        case 'code':
          return `<p style="font-size:28px;font-weight:bold;letter-spacing:6px;font-family:monospace">${escapeHtml(block.code)}</p>`;
        case 'button':
          return `<p><a href="${escapeHtml(block.url)}" style="display:inline-block;padding:10px 18px;background:#1264a3;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(block.label)}</a></p>`;
      }
    })
    .join('\n');
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body style="font-family:sans-serif;line-height:1.5">\n${body}\n</body></html>\n`;
}

/** Only http(s) links reach a mail: a `javascript:` or `data:` URL would be a trap. */
function safeUrl(link: string): string {
  const url = new URL(link);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RangeError(`refusing to put a ${url.protocol} link in a mail`);
  }
  return url.toString();
}

/** "5 January 2026 at 09:00 UTC" in the business time zone. */
function formatWhen(at: number, timeZone: string): string {
  return (
    new Intl.DateTimeFormat('en-GB', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone,
    }).format(at) + ` (${timeZone})`
  );
}
