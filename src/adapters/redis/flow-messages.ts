import type { FlowMessageRecord, FlowMessages } from '../../ports/flow-messages.js';
import { FLOW_MESSAGE_TTL_MS, parseFlowMessageRecord } from '../../ports/flow-messages.js';
import { CachedScript } from './cached-script.js';
import { SameTickReads } from './same-tick-reads.js';
import { guarded, type RedisClient } from './connection.js';
import { FINISHED, GONE, LUA_RECORD, messageAt, messageField, parseMessageField } from './flow-record.js';
import type { RedisKeys } from './keys.js';

/**
 * KEYS: the flow's record, the message's own key from before it moved into the record.
 * ARGV: message field, machineId, ttl ms, the record as JSON for the old key. An open or
 * finished flow keeps its lifetime; otherwise the gone shape holds the message for ttl.
 */
const REMEMBER = new CachedScript(`${LUA_RECORD}
local raw = redis.pcall('GET', KEYS[1])
if type(raw) == 'table' then
  redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[3])
  return 1
end
if raw and string.sub(raw, 1, 5) ~= 'gone|' then
  local a, b, c, d, _, rest = header(raw)
  if not a then
    redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[3])
    return 1
  end
  redis.call('SET', KEYS[1], a .. '|' .. b .. '|' .. c .. '|' .. d .. '|' .. ARGV[1] .. '|' .. rest, 'KEEPTTL')
  return 1
end
redis.call('SET', KEYS[1], 'gone|' .. ARGV[2] .. '|' .. ARGV[1], 'PX', ARGV[3])
return 1
`);

const OPEN_HEADER = /^[^|]*\|[^|]*\|[^|]*\|([^|]*)\|/;
const FINISHED_HEADER = /^finished\|[^|]*\|[^|]*\|([^|]*)\|/;

/**
 * A flow's message is kept in the flow's own record (src/adapters/redis/flow-record.ts), so
 * the read that loads the flow finds it too and the write that finishes the flow marks it
 * ended. Messages remembered before that lived in a key of their own, still read.
 */
export class RedisFlowMessages implements FlowMessages {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly ttlMs = FLOW_MESSAGE_TTL_MS,
    private readonly reads = new SameTickReads(redis),
  ) {}

  async remember(teamId: string, userId: string, flowId: string, record: FlowMessageRecord): Promise<void> {
    const { channel, ts, machineId, ended } = record;
    const stored: FlowMessageRecord = {
      channel,
      ts,
      ...(machineId ? { machineId } : {}),
      ...(ended ? { ended } : {}),
    };
    await guarded('remember flow message', () =>
      REMEMBER.run(
        this.redis,
        [this.flowKey(teamId, userId, flowId), this.ownKey(teamId, userId, flowId)],
        [messageField(stored), machineId ?? '', this.ttlMs, JSON.stringify(stored)],
      ),
    );
  }

  async find(teamId: string, userId: string, flowId: string): Promise<FlowMessageRecord | null> {
    const raw = await guarded('find flow message', () =>
      this.reads.get(this.flowKey(teamId, userId, flowId)),
    ).catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith('WRONGTYPE')) return null;
      throw error;
    });
    const inRecord = raw === null ? null : fromRecord(raw);
    if (inRecord?.channel) return inRecord as FlowMessageRecord;
    const own = await guarded('find flow message', () => this.redis.get(this.ownKey(teamId, userId, flowId)));
    if (own === null) return null;
    const { ended, followsFlow } = inRecord ?? {};
    return {
      ...parseFlowMessageRecord(own),
      ...(ended ? { ended } : {}),
      ...(followsFlow ? { followsFlow } : {}),
    };
  }

  private flowKey(teamId: string, userId: string, flowId: string): string {
    return this.keys.slackUser(teamId, userId, 'flow', flowId);
  }

  private ownKey(teamId: string, userId: string, flowId: string): string {
    return this.keys.slackUser(teamId, userId, 'flow-message', flowId);
  }
}

/** What a flow record says about the flow's message; no channel when it holds none. */
function fromRecord(raw: string): Partial<FlowMessageRecord> | null {
  if (raw.startsWith(GONE)) {
    const bar = raw.indexOf('|', GONE.length);
    const machineId = bar < 0 ? '' : raw.slice(GONE.length, bar);
    return withMessage(machineId, bar < 0 ? '' : raw.slice(bar + 1), {});
  }
  const finished = raw.startsWith(FINISHED);
  const header = (finished ? FINISHED_HEADER : OPEN_HEADER).exec(raw);
  if (header === null) return null;
  const field = messageAt(raw, header[0].length).field;
  return withMessage(header[1] ?? '', field, finished ? { ended: true } : { followsFlow: true });
}

function withMessage(
  machineId: string,
  field: string,
  state: Pick<FlowMessageRecord, 'ended' | 'followsFlow'>,
): Partial<FlowMessageRecord> {
  const message = parseMessageField(field);
  const ended = state.ended === true || message?.ended === true;
  return {
    ...(message ? { channel: message.channel, ts: message.ts } : {}),
    ...(machineId ? { machineId } : {}),
    ...(ended ? { ended } : {}),
    ...(state.followsFlow ? { followsFlow: true } : {}),
  };
}
