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

export interface AuditLog {
  /**
   * Appends the event stamped with the clock's time. Throws SecretInAuditError (and writes
   * nothing) when `detail` looks like it carries a code, token, password or document number.
   */
  record(event: AuditEvent): Promise<void>;
  /** Newest first; at most `limit`, and never more than the log's cap. */
  recent(limit: number): Promise<StoredAuditEvent[]>;
}
