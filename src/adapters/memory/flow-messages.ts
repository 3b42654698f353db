import type { Clock } from '../../core/clock.js';
import type { FlowMessageRecord, FlowMessages } from '../../ports/flow-messages.js';
import { FLOW_MESSAGE_TTL_MS } from '../../ports/flow-messages.js';

export class MemoryFlowMessages implements FlowMessages {
  private readonly entries = new Map<string, { record: FlowMessageRecord; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = FLOW_MESSAGE_TTL_MS,
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
