import type { Redis } from 'ioredis';
import { z } from 'zod';
import { guarded } from '../adapters/redis/connection.js';
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

/**
 * Remembers each flow's DM message for as long as the flow can live. Modals carry only the
 * flow id (security.md), so a submission finds the message to update here.
 */
export interface FlowMessages {
  remember(teamId: string, userId: string, flowId: string, location: MessageLocation): Promise<void>;
  find(teamId: string, userId: string, flowId: string): Promise<MessageLocation | null>;
}

const locationSchema = z.object({ channel: z.string().min(1), ts: z.string().min(1) });

export class RedisFlowMessages implements FlowMessages {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly ttlMs: number,
  ) {
    this.keys = new RedisKeys(keyPrefix);
  }

  async remember(teamId: string, userId: string, flowId: string, location: MessageLocation): Promise<void> {
    const key = this.keys.slackUser(teamId, userId, 'flow-message', flowId);
    await guarded('remember flow message', () =>
      this.redis.set(key, JSON.stringify(location), 'PX', this.ttlMs),
    );
  }

  async find(teamId: string, userId: string, flowId: string): Promise<MessageLocation | null> {
    const key = this.keys.slackUser(teamId, userId, 'flow-message', flowId);
    const raw = await guarded('find flow message', () => this.redis.get(key));
    if (raw === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new CorruptRecordError('flow message location', 'not JSON');
    }
    const result = locationSchema.safeParse(parsed);
    if (!result.success) throw new CorruptRecordError('flow message location', result.error.message);
    return result.data;
  }
}

export class MemoryFlowMessages implements FlowMessages {
  private readonly entries = new Map<string, { location: MessageLocation; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async remember(teamId: string, userId: string, flowId: string, location: MessageLocation): Promise<void> {
    this.entries.set(`${teamId}:${userId}:${flowId}`, { location, expiresAt: this.clock.now() + this.ttlMs });
  }

  async find(teamId: string, userId: string, flowId: string): Promise<MessageLocation | null> {
    const key = `${teamId}:${userId}:${flowId}`;
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.location;
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
