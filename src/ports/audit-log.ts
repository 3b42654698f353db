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
  record(event: AuditEvent): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<StoredAuditEvent[]>;
}
