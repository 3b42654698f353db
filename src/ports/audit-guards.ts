import { ACCOUNT_AUDIT_DEFAULTS, type AuditEvent, type AuditLogOptions } from './audit-log.js';

/**
 * A caller tried to put something secret-looking in the audit trail. This is a bug in
 * the caller, so it is thrown rather than logged: the event is not written at all.
 */
export class SecretInAuditError extends Error {
  readonly code = 'SECRET_IN_AUDIT';
  constructor(action: string, key: string, why: string) {
    super(`audit event ${action}: detail "${key}" ${why}; audit entries hold identifiers and outcomes only`);
    this.name = 'SecretInAuditError';
  }
}

/**
 * Errs on the side of refusing: `countryCode` is refused too, so name such facts
 * `country` or `reason`. Compared without case or separators (`reset_token`, `newPassword`).
 */
const SECRET_KEY_WORDS = ['code', 'token', 'password', 'passwd', 'secret', 'documentnumber'];
/**
 * Six digits standing alone: what a one-time code looks like. Longer runs are ids or times,
 * and digits inside a hex or base64 id (`1000001-9f123456ab`) are part of that id.
 */
const CODE_LIKE = /(?<![A-Za-z0-9])\d{6}(?![A-Za-z0-9])/;
/** A long base64url run: what a reset or change-password token looks like (32 bytes = 43 chars). */
const TOKEN_LIKE = /[A-Za-z0-9_-]{40,}/;

export function assertNoSecrets(event: AuditEvent): void {
  for (const [key, value] of Object.entries(event.detail ?? {})) {
    const normalised = key.toLowerCase().replace(/[^a-z0-9]/g, '');
    const word = SECRET_KEY_WORDS.find((candidate) => normalised.includes(candidate));
    if (word !== undefined) throw new SecretInAuditError(event.action, key, `is named like a ${word}`);
    if (CODE_LIKE.test(value)) throw new SecretInAuditError(event.action, key, 'looks like a one-time code');
    if (TOKEN_LIKE.test(value)) throw new SecretInAuditError(event.action, key, 'looks like a token');
  }
}

/** Caps and read limits are counts; zero or a fraction is a caller bug. */
/** The per-account stream's limits, defaults filled in and checked. */
export function accountAuditLimits(options: AuditLogOptions): {
  accountMaxLength: number;
  accountTtlMs: number;
} {
  const limits = {
    accountMaxLength: options.accountMaxLength ?? ACCOUNT_AUDIT_DEFAULTS.accountMaxLength,
    accountTtlMs: options.accountTtlMs ?? ACCOUNT_AUDIT_DEFAULTS.accountTtlMs,
  };
  assertPositiveCount('account audit stream max length', limits.accountMaxLength);
  assertPositiveCount('account audit stream ttl', limits.accountTtlMs);
  return limits;
}

export function assertPositiveCount(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${what} must be a whole number of at least 1, got ${value}`);
  }
}
