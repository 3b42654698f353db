import { z } from 'zod';
import { guarded, type RedisClient } from '../adapters/redis/connection.js';
import { RedisKeys } from '../adapters/redis/keys.js';
import type { Stores } from '../app/stores.js';
import type { AppConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { CorruptRecordError } from '../core/errors.js';

/** Where a flow's one DM message is, so every step updates it in place. */
export interface MessageLocation {
  channel: string;
  ts: string;
}

/** A flow's message and the flow it shows, so an answer without a machine keeps the flow's title. */
export interface FlowMessageRecord extends MessageLocation {
  machineId?: string;
  /** The message shows how the flow ended: a late duplicate must not replace that. */
  ended?: boolean;
}

/**
 * Remembers each flow's DM message for as long as the flow can live. Modals carry only the
 * flow id (security.md), so a submission finds the message to update here.
 */
export interface FlowMessages {
  remember(teamId: string, userId: string, flowId: string, record: FlowMessageRecord): Promise<void>;
  find(teamId: string, userId: string, flowId: string): Promise<FlowMessageRecord | null>;
}

const recordSchema = z.object({
  channel: z.string().min(1),
  ts: z.string().min(1),
  machineId: z.string().min(1).optional(),
  ended: z.boolean().optional(),
});

export class RedisFlowMessages implements FlowMessages {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    keyPrefix: string,
    private readonly ttlMs: number,
  ) {
    this.keys = new RedisKeys(keyPrefix);
  }

  async remember(teamId: string, userId: string, flowId: string, record: FlowMessageRecord): Promise<void> {
    const key = this.keys.slackUser(teamId, userId, 'flow-message', flowId);
    await guarded('remember flow message', () =>
      this.redis.set(key, JSON.stringify(record), 'PX', this.ttlMs),
    );
  }

  async find(teamId: string, userId: string, flowId: string): Promise<FlowMessageRecord | null> {
    const key = this.keys.slackUser(teamId, userId, 'flow-message', flowId);
    const raw = await guarded('find flow message', () => this.redis.get(key));
    if (raw === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new CorruptRecordError('flow message location', 'not JSON');
    }
    const result = recordSchema.safeParse(parsed);
    if (!result.success) throw new CorruptRecordError('flow message location', result.error.message);
    return result.data;
  }
}

export class MemoryFlowMessages implements FlowMessages {
  private readonly entries = new Map<string, { record: FlowMessageRecord; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async remember(teamId: string, userId: string, flowId: string, record: FlowMessageRecord): Promise<void> {
    this.entries.set(`${teamId}:${userId}:${flowId}`, { record, expiresAt: this.clock.now() + this.ttlMs });
  }

  async find(teamId: string, userId: string, flowId: string): Promise<FlowMessageRecord | null> {
    const key = `${teamId}:${userId}:${flowId}`;
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.record;
  }
}

/** A flow's DM message is remembered a day: longer than any flow stays open between steps. */
export const FLOW_MESSAGE_TTL_MS = 24 * 60 * 60_000;

/** On the application's Redis when there is one, else in-process (shared by the app and the messenger). */
export function buildFlowMessages(stores: Stores, config: AppConfig, clock: Clock): FlowMessages {
  return stores.redis
    ? new RedisFlowMessages(stores.redis, config.redis.keyPrefix, FLOW_MESSAGE_TTL_MS)
    : new MemoryFlowMessages(clock, FLOW_MESSAGE_TTL_MS);
}
