import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { CorruptRecordError } from '../../core/errors.js';
import type { AuditEvent, AuditLog, StoredAuditEvent } from '../../ports/audit-log.js';
import { assertNoSecrets, assertPositiveCount } from '../../ports/audit-guards.js';
import { guarded } from './connection.js';
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
 * A Redis Stream. It is capped (XADD MAXLEN ~), never given a TTL: the trail must outlive
 * any session or code it describes, and the cap bounds its memory. `~` lets Redis trim
 * whole stream nodes, so it briefly holds a little more than the cap; `recent` never
 * returns more than the cap, so both adapters answer alike.
 */
export class RedisAuditLog implements AuditLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
    private readonly options: { maxLength: number },
  ) {
    assertPositiveCount('audit stream max length', options.maxLength);
  }

  async record(event: AuditEvent): Promise<void> {
    assertNoSecrets(event);
    const fields: string[] = ['actor', event.actor];
    if (event.accountId !== undefined) fields.push('account', event.accountId);
    if (event.flowId !== undefined) fields.push('flow', event.flowId);
    fields.push('action', event.action, 'outcome', event.outcome);
    if (event.detail !== undefined) fields.push('detail', JSON.stringify(event.detail));
    fields.push('at', String(this.clock.now()));
    await guarded('audit.record', () =>
      this.redis.xadd(this.key(), 'MAXLEN', '~', this.options.maxLength, '*', ...fields),
    );
  }

  async recent(limit: number): Promise<StoredAuditEvent[]> {
    assertPositiveCount('audit recent limit', limit);
    const count = Math.min(limit, this.options.maxLength);
    const entries = await guarded('audit.recent', () =>
      this.redis.xrevrange(this.key(), '+', '-', 'COUNT', count),
    );
    return entries.map(([id, flat]) => parseEntry(id, flat));
  }

  private key(): string {
    return this.keys.global('audit');
  }
}

function parseEntry(id: string, flat: string[]): StoredAuditEvent {
  const pairs: Record<string, string> = {};
  for (let index = 0; index + 1 < flat.length; index += 2) {
    pairs[flat[index] as string] = flat[index + 1] as string;
  }
  const fields = storedFields.safeParse(pairs);
  if (!fields.success) throw new CorruptRecordError(`audit entry ${id}`, fields.error.message);
  const { account, flow, detail, ...rest } = fields.data;
  const event: StoredAuditEvent = { id, ...rest };
  if (account !== undefined) event.accountId = account;
  if (flow !== undefined) event.flowId = flow;
  if (detail !== undefined) event.detail = parseDetail(id, detail);
  return event;
}

function parseDetail(id: string, text: string): Record<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CorruptRecordError(`audit entry ${id}`, 'detail is not JSON');
  }
  const detail = detailSchema.safeParse(json);
  if (!detail.success) throw new CorruptRecordError(`audit entry ${id}`, detail.error.message);
  return detail.data;
}
