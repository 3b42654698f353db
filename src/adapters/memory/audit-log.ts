import type { Clock } from '../../core/clock.js';
import type { AuditEvent, AuditLog, AuditLogOptions, StoredAuditEvent } from '../../ports/audit-log.js';
import { accountAuditLimits, assertNoSecrets, assertPositiveCount } from '../../ports/audit-guards.js';

/**
 * Capped arrays, newest last: the whole trail and one per account, like the Redis streams.
 * They trim in batches (once an array holds twice its cap) so appending stays cheap, reads
 * never return more than the cap, and an account's events are forgotten `accountTtlMs`
 * after its latest one.
 */
export class MemoryAuditLog implements AuditLog {
  private readonly entries: StoredAuditEvent[] = [];
  private readonly accounts = new Map<string, { entries: StoredAuditEvent[]; expiresAt: number }>();
  private sequence = 0;

  private readonly limits: { accountMaxLength: number; accountTtlMs: number };

  constructor(
    private readonly clock: Clock,
    private readonly options: AuditLogOptions,
  ) {
    assertPositiveCount('audit log max length', options.maxLength);
    this.limits = accountAuditLimits(options);
  }

  async record(event: AuditEvent): Promise<void> {
    assertNoSecrets(event);
    const at = this.clock.now();
    this.sequence += 1;
    const entry = stored(event, `${at}-${this.sequence}`, at);
    append(this.entries, entry, this.options.maxLength);
    if (event.accountId === undefined) return;
    const account = this.liveAccount(event.accountId) ?? { entries: [], expiresAt: 0 };
    append(account.entries, copy(entry), this.limits.accountMaxLength);
    account.expiresAt = at + this.limits.accountTtlMs;
    this.accounts.set(event.accountId, account);
  }

  async recent(limit: number): Promise<StoredAuditEvent[]> {
    assertPositiveCount('audit recent limit', limit);
    return newest(this.entries, Math.min(limit, this.options.maxLength));
  }

  async forAccount(accountId: string, limit: number): Promise<StoredAuditEvent[]> {
    assertPositiveCount('audit recent limit', limit);
    const account = this.liveAccount(accountId);
    return account ? newest(account.entries, Math.min(limit, this.limits.accountMaxLength)) : [];
  }

  private liveAccount(accountId: string) {
    const account = this.accounts.get(accountId);
    if (account === undefined) return null;
    if (account.expiresAt > this.clock.now()) return account;
    this.accounts.delete(accountId);
    return null;
  }
}

function append(entries: StoredAuditEvent[], entry: StoredAuditEvent, cap: number): void {
  entries.push(entry);
  if (entries.length >= 2 * cap) entries.splice(0, entries.length - cap);
}

function newest(entries: StoredAuditEvent[], count: number): StoredAuditEvent[] {
  return entries.slice(-count).reverse().map(copy);
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
