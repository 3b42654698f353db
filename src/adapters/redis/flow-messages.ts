import type { FlowMessageRecord, FlowMessages } from '../../ports/flow-messages.js';
import { FLOW_MESSAGE_TTL_MS, parseFlowMessageRecord } from '../../ports/flow-messages.js';
import { guarded, type RedisClient } from './connection.js';
import type { RedisKeys } from './keys.js';

/** One key per flow under the Slack user's hash tag, living as long as a flow can. */
export class RedisFlowMessages implements FlowMessages {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly ttlMs = FLOW_MESSAGE_TTL_MS,
  ) {}

  async remember(teamId: string, userId: string, flowId: string, record: FlowMessageRecord): Promise<void> {
    const key = this.keys.slackUser(teamId, userId, 'flow-message', flowId);
    await guarded('remember flow message', () =>
      this.redis.set(key, JSON.stringify(record), 'PX', this.ttlMs),
    );
  }

  async find(teamId: string, userId: string, flowId: string): Promise<FlowMessageRecord | null> {
    const key = this.keys.slackUser(teamId, userId, 'flow-message', flowId);
    const raw = await guarded('find flow message', () => this.redis.get(key));
    return raw === null ? null : parseFlowMessageRecord(raw);
  }
}
