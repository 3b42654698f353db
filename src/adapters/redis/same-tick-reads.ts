import type { RedisClient } from './connection.js';

/**
 * GETs of one key asked for within one synchronous run share one command: no other write can
 * land between them, so both callers read what either would have (the flow's read and its
 * message's read of one step ask for the same record).
 */
export class SameTickReads {
  private readonly pending = new Map<string, Promise<string | null>>();

  constructor(private readonly redis: RedisClient) {}

  get(key: string): Promise<string | null> {
    const shared = this.pending.get(key);
    if (shared) return shared;
    const read = this.redis.get(key);
    if (this.pending.size === 0) queueMicrotask(() => this.pending.clear());
    this.pending.set(key, read);
    return read;
  }
}
