import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { AuditEvent, AuditLog, AuditLogOptions, StoredAuditEvent } from '../../ports/audit-log.js';
import { accountAuditLimits, assertNoSecrets, assertPositiveCount } from '../../ports/audit-guards.js';
import { guarded, type RedisClient } from './connection.js';
import type { RedisKeys } from './keys.js';

const storedFields = z.object({
  actor: z.string(),
  account: z.string().optional(),
  flow: z.string().optional(),
  action: z.string(),
  outcome: z.enum(['success', 'failure', 'refused', 'info']),
  detail: z.string().optional(),
  at: z.coerce.number().int(),
});

const detailSchema = z.record(z.string(), z.string());

/**
 * Redis Streams: the whole trail in one stream, and each account's events again in a stream
 * of its own, so an account's history never falls out of a window shared with everyone
 * else. Both are capped (XADD MAXLEN ~). The trail has no TTL: it must outlive any session
 * or code it describes, and the cap bounds its memory. An account's stream expires
 * `accountTtlMs` after its latest event (each event renews it), so accounts that went
 * quiet or were deleted do not keep keys forever. `~` lets Redis trim whole stream nodes,
 * so a stream briefly holds a little more than its cap; reads never return more than the
 * cap, so both adapters answer alike. An entry that does not parse is skipped and
 * reported, never thrown: one bad entry must not hide the others.
 */
export class RedisAuditLog implements AuditLog {
  private readonly limits: { accountMaxLength: number; accountTtlMs: number };

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
    private readonly options: AuditLogOptions,
  ) {
    assertPositiveCount('audit stream max length', options.maxLength);
    this.limits = accountAuditLimits(options);
  }

  async record(event: AuditEvent): Promise<void> {
    assertNoSecrets(event);
    const fields: string[] = ['actor', event.actor];
    if (event.accountId !== undefined) fields.push('account', event.accountId);
    if (event.flowId !== undefined) fields.push('flow', event.flowId);
    fields.push('action', event.action, 'outcome', event.outcome);
    if (event.detail !== undefined) fields.push('detail', JSON.stringify(event.detail));
    fields.push('at', String(this.clock.now()));
    await guarded('audit.record', async () => {
      const id = await this.redis.xadd(this.key(), 'MAXLEN', '~', this.options.maxLength, '*', ...fields);
      if (event.accountId === undefined) return;
      const accountKey = this.accountKey(event.accountId);
      // The trail's id is reused so one event reads the same in both streams.
      await this.redis
        .multi()
        .xadd(accountKey, 'MAXLEN', '~', this.limits.accountMaxLength, id ?? '*', ...fields)
        .pexpire(accountKey, this.limits.accountTtlMs)
        .exec();
    });
  }

  async recent(limit: number): Promise<StoredAuditEvent[]> {
    assertPositiveCount('audit recent limit', limit);
    return this.read(this.key(), Math.min(limit, this.options.maxLength));
  }

  async forAccount(accountId: string, limit: number): Promise<StoredAuditEvent[]> {
    assertPositiveCount('audit recent limit', limit);
    return this.read(this.accountKey(accountId), Math.min(limit, this.limits.accountMaxLength));
  }

  private async read(key: string, count: number): Promise<StoredAuditEvent[]> {
    const entries = await guarded('audit.recent', () => this.redis.xrevrange(key, '+', '-', 'COUNT', count));
    const events: StoredAuditEvent[] = [];
    for (const [id, flat] of entries) {
      const parsed = parseEntry(id, flat);
      if (typeof parsed === 'string') this.options.onCorrupt?.(id, parsed);
      else events.push(parsed);
    }
    return events;
  }

  private key(): string {
    return this.keys.global('audit');
  }

  private accountKey(accountId: string): string {
    return this.keys.account(accountId, 'audit');
  }
}

/** The event, or why the entry cannot be read. */
function parseEntry(id: string, flat: string[]): StoredAuditEvent | string {
  const pairs: Record<string, string> = {};
  for (let index = 0; index + 1 < flat.length; index += 2) {
    pairs[flat[index] as string] = flat[index + 1] as string;
  }
  const fields = storedFields.safeParse(pairs);
  if (!fields.success) return fields.error.issues.map((issue) => issue.path.join('.')).join(',');
  const { account, flow, detail, ...rest } = fields.data;
  const event: StoredAuditEvent = { id, ...rest };
  if (account !== undefined) event.accountId = account;
  if (flow !== undefined) event.flowId = flow;
  if (detail === undefined) return event;
  const parsed = parseDetail(detail);
  if (parsed === null) return 'detail';
  event.detail = parsed;
  return event;
}

function parseDetail(text: string): Record<string, string> | null {
  try {
    const detail = detailSchema.safeParse(JSON.parse(text));
    return detail.success ? detail.data : null;
  } catch {
    return null;
  }
}
