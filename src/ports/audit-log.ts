/**
 * The audit trail: every security event, who did it, to which account, with what
 * outcome. Never a secret: entries hold identifiers and outcomes only.
 */
export interface AuditEvent {
  /** Who acted: `slack:T:U`, `web:<ip-hash>`, `system`, `support:T:U`. */
  actor: string;
  /** The account concerned, when known. */
  accountId?: string;
  /** The flow involved, when there is one. */
  flowId?: string;
  /** What happened, dotted: `code.issued`, `password.changed`, `delivery.failed`. */
  action: string;
  outcome: 'success' | 'failure' | 'refused' | 'info';
  /** Short non-secret facts (a masked target, a reason name). */
  detail?: Record<string, string>;
}

export interface StoredAuditEvent extends AuditEvent {
  id: string;
  at: number;
}

export interface AuditLogOptions {
  /** Cap of the whole trail. */
  maxLength: number;
  /** Cap of each account's own stream (default ACCOUNT_AUDIT_DEFAULTS). */
  accountMaxLength?: number;
  /** An account's stream is dropped this long after its latest event (default ACCOUNT_AUDIT_DEFAULTS). */
  accountTtlMs?: number;
  /** Told about an entry that cannot be read; reads skip it. */
  onCorrupt?: (entryId: string, problem: string) => void;
}

/** Enough for the Home tab and a support lookup; a year after the account's latest event. */
export const ACCOUNT_AUDIT_DEFAULTS = { accountMaxLength: 200, accountTtlMs: 365 * 24 * 60 * 60 * 1000 };

export interface AuditLog {
  /**
   * Appends the event stamped with the clock's time. Throws SecretInAuditError (and writes
   * nothing) when `detail` looks like it carries a code, token, password or document number.
   */
  record(event: AuditEvent): Promise<void>;
  /** Newest first; at most `limit`, and never more than the log's cap. */
  recent(limit: number): Promise<StoredAuditEvent[]>;
  /**
   * The account's own events, newest first, at most `limit` and never more than the
   * account stream's cap: they stay readable however busy the rest of the trail is.
   */
  forAccount(accountId: string, limit: number): Promise<StoredAuditEvent[]>;
}
