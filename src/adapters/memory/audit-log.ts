import type { Clock } from '../../core/clock.js';
import type { AuditEvent, AuditLog, StoredAuditEvent } from '../../ports/audit-log.js';
import { assertNoSecrets, assertPositiveCount } from '../../ports/audit-guards.js';

/**
 * A capped array, newest last. Like the Redis stream it trims in batches (here once it
 * holds twice the cap) so appending stays cheap, and `recent` never returns more than the cap.
 */
export class MemoryAuditLog implements AuditLog {
  private readonly entries: StoredAuditEvent[] = [];
  private sequence = 0;

  constructor(
    private readonly clock: Clock,
    private readonly options: { maxLength: number },
  ) {
    assertPositiveCount('audit log max length', options.maxLength);
  }

  async record(event: AuditEvent): Promise<void> {
    assertNoSecrets(event);
    const at = this.clock.now();
    this.sequence += 1;
    this.entries.push(stored(event, `${at}-${this.sequence}`, at));
    if (this.entries.length >= 2 * this.options.maxLength) {
      this.entries.splice(0, this.entries.length - this.options.maxLength);
    }
  }

  async recent(limit: number): Promise<StoredAuditEvent[]> {
    assertPositiveCount('audit recent limit', limit);
    const count = Math.min(limit, this.options.maxLength);
    return this.entries.slice(-count).reverse().map(copy);
  }
}

/** Keeps exactly the fields the Redis stream keeps, so both adapters read back alike. */
function stored(event: AuditEvent, id: string, at: number): StoredAuditEvent {
  const entry: StoredAuditEvent = {
    id,
    actor: event.actor,
    action: event.action,
    outcome: event.outcome,
    at,
  };
  if (event.accountId !== undefined) entry.accountId = event.accountId;
  if (event.flowId !== undefined) entry.flowId = event.flowId;
  if (event.detail !== undefined) entry.detail = { ...event.detail };
  return entry;
}

/** Callers get their own objects: changing a returned event must not change the log. */
function copy(event: StoredAuditEvent): StoredAuditEvent {
  return event.detail === undefined ? { ...event } : { ...event, detail: { ...event.detail } };
}
