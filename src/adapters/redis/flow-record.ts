import type { FlowMessageRecord } from '../../ports/flow-messages.js';

/*
 * One string per flow under `{owner}:flow:<flowId>`, in one of three shapes:
 * - open: `<rev>|<updatedAt>|<version>|<machineId>|[@<message>|]<snapshot>`
 * - finished: `finished|<until>|<finishedAt>|<machineId>|[@<message>|]<outcome>`
 * - gone (ended without an outcome, or a message remembered for a flow with no record):
 *   `gone|<machineId>|@<message>`
 * `<message>` is where the flow's Slack DM message is, `<channel>,<ts>` with `,e` once it shows
 * how the flow ended: folded in here it costs no key of its own and no write of its own when
 * the flow finishes. Records written before it existed lack the field (the snapshot or outcome
 * JSON never starts with @), and are read as they are.
 */

export const FINISHED = 'finished|';
export const GONE = 'gone|';

/**
 * Lua: record(key) → 'none' | 'finished' | 'gone' | 'corrupt', detail |
 * 'ok', rev, updatedAt, version, machineId, message, snapshot. One GET; a key of another type
 * (a hash from before envelopes became strings) is told apart only when GET refuses it.
 */
export const LUA_RECORD = `
local function header(raw)
  local a = string.find(raw, '|', 1, true)
  local b = a and string.find(raw, '|', a + 1, true)
  local c = b and string.find(raw, '|', b + 1, true)
  local d = c and string.find(raw, '|', c + 1, true)
  if not d then return nil end
  local message, rest = '', d + 1
  if string.sub(raw, rest, rest) == '@' then
    local e = string.find(raw, '|', rest, true)
    if not e then return nil end
    message, rest = string.sub(raw, rest, e - 1), e + 1
  end
  return string.sub(raw, 1, a - 1), string.sub(raw, a + 1, b - 1), string.sub(raw, b + 1, c - 1),
    string.sub(raw, c + 1, d - 1), message, string.sub(raw, rest)
end
local function record(key)
  local raw = redis.pcall('GET', key)
  if type(raw) == 'table' then
    local kind = redis.call('TYPE', key).ok
    if kind ~= 'hash' then return 'corrupt', 'flow record is a ' .. kind end
    local f = redis.call('HMGET', key, 'rev', 'updatedAt', 'version', 'machineId', 'snapshot')
    return 'ok', tonumber(f[1]), tonumber(f[2]), f[3], f[4], '', f[5]
  end
  if not raw then return 'none' end
  if string.sub(raw, 1, 9) == 'finished|' then return 'finished', raw end
  if string.sub(raw, 1, 5) == 'gone|' then return 'gone', raw end
  local rev, at, version, machineId, message, snapshot = header(raw)
  if not rev then return 'corrupt', 'flow record has no header' end
  return 'ok', tonumber(rev), tonumber(at), version, machineId, message, snapshot
end
`;

/** `@<channel>,<ts>[,e]`, the field as stored. */
export function messageField(record: FlowMessageRecord): string {
  return `@${record.channel},${record.ts}${record.ended ? ',e' : ''}`;
}

/** The message field as read back; null when there is none or it does not parse. */
export function parseMessageField(field: string): { channel: string; ts: string; ended: boolean } | null {
  const parts = /^@([^,|]+),([^,|]+)(,e)?$/.exec(field);
  if (parts === null) return null;
  const [, channel = '', ts = '', ended] = parts;
  return { channel, ts, ended: ended !== undefined };
}

/** The optional `@<message>|` field at `from`, and where what follows it starts. */
export function messageAt(raw: string, from: number): { field: string; rest: number } {
  if (raw[from] !== '@') return { field: '', rest: from };
  const end = raw.indexOf('|', from);
  return end < 0 ? { field: '', rest: from } : { field: raw.slice(from, end), rest: end + 1 };
}
