import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { CorruptRecordError } from '../../core/errors.js';
import {
  assertValidFlowIds,
  assertValidInit,
  FLOW_EXPIRED_GRACE_MS,
  FLOW_FINISHED_MEMORY_MS,
  snapshotJson,
  type FlowCreateResult,
  type FlowEnvelope,
  type FlowInit,
  type FlowSessionTiming,
  type FlowReadResult,
  type FlowSessionStore,
  type FlowUpdate,
  type FlowWriteResult,
  type JsonValue,
} from '../../ports/flow-session-store.js';
import { FLOW_MESSAGE_TTL_MS } from '../../ports/flow-messages.js';
import { CachedScript } from './cached-script.js';
import { SameTickReads } from './same-tick-reads.js';
import { FINISHED, GONE, LUA_RECORD, messageAt } from './flow-record.js';
import { guarded, type RedisClient } from './connection.js';
import type { RedisKeys } from './keys.js';

/*
 * Keys, both tagged by the owner so every script stays in one Cluster slot:
 * - `{owner}:flow:<flowId>`, the flow's one string (src/adapters/redis/flow-record.ts): the
 *   scripts read its header without decoding the snapshot JSON (cjson would turn [] into {}).
 * - `{owner}:flow-active`, `<updatedAt>|<flowId>` of the owner's open flow. Every write to an
 *   open flow sets it again with the flow's lifetime, so whether that flow is open is read
 *   from the pointer alone. A script touches only keys it declares (Cluster routes by them,
 *   key ACLs are checked on them): a pointer from before that names the flow only
 *   (`<flowId>`) is answered with `lookup`, and the call is made again declaring the flow it
 *   names, whose record says when it was written. Hash pointers, older still, carry the time.
 * A flow is expired when now - updatedAt > idle; it lives idle + grace, so an expired flow
 * can still answer "expired" for a while. A write with an outcome leaves the finished shape
 * for the finished memory and drops the pointer; a new flow may take that id. Ending a flow
 * whose Slack message is known leaves the gone shape, so the message is still found.
 */

/** pointer(key) → flowId, updatedAt (nil when the pointer does not carry it), or nil. */
const POINTER = `
local function pointer(key)
  local raw = redis.pcall('GET', key)
  if type(raw) == 'table' then
    if redis.call('TYPE', key).ok ~= 'hash' then return nil end
    local p = redis.call('HMGET', key, 'flowId', 'updatedAt')
    return p[1] or nil, tonumber(p[2])
  end
  if not raw then return nil end
  local at, id = string.match(raw, '^(%d+)|(.+)$')
  if at then return id, tonumber(at) end
  return raw, nil
end
local function writtenAt(key)
  local status, _, updatedAt = record(key)
  if status == 'ok' then return updatedAt end
  return nil
end
`;

/**
 * KEYS: pointer, flow[, the flow an old pointer names]. ARGV: now, idle, ttl, flowId, value[,
 * the id of that flow].
 */
const CREATE = new CachedScript(`${LUA_RECORD}${POINTER}
local now, idle = tonumber(ARGV[1]), tonumber(ARGV[2])
local active, at = pointer(KEYS[1])
if active and not at then
  if active ~= ARGV[6] then return {'lookup', active} end
  at = writtenAt(KEYS[3])
end
if active and at and now - at <= idle then return {'conflict', active} end
local earlier = record(KEYS[2])
if earlier ~= 'none' and earlier ~= 'finished' and earlier ~= 'gone' then return {'duplicate'} end
redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[3])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[4], 'PX', ARGV[3])
return {'created'}
`);

/**
 * KEYS: flow, pointer. ARGV: now, idle, ttl, expectedRev, snapshot, machineId, version,
 * flowId (machineId and version empty = unchanged), finished memory ms and outcome (empty = not
 * finished). The message field is carried over, into the finished record too.
 */
const COMPARE_AND_SET = new CachedScript(`${LUA_RECORD}${POINTER}
local now, idle = tonumber(ARGV[1]), tonumber(ARGV[2])
local status, rev, at, version, machineId, message = record(KEYS[1])
if status == 'none' or status == 'finished' or status == 'gone' then return {'missing'} end
if status == 'corrupt' then return {'corrupt', rev} end
if not rev or not at then return {'corrupt', 'flow rev or updatedAt is not a number'} end
if not version or not machineId then return {'corrupt', 'flow record lacks fields'} end
if now - at > idle then return {'expired'} end
if rev ~= tonumber(ARGV[4]) then return {'conflict', rev} end
if message ~= '' then message = message .. '|' end
if ARGV[9] ~= '' then
  redis.call('SET', KEYS[1], 'finished|' .. string.format('%d', now + tonumber(ARGV[9])) .. '|' .. ARGV[1] .. '|' ..
    machineId .. '|' .. message .. ARGV[10], 'PX', ARGV[9])
  if pointer(KEYS[2]) == ARGV[8] then redis.call('DEL', KEYS[2]) end
  return {'ok', rev + 1}
end
if ARGV[6] ~= '' then machineId = ARGV[6] end
if ARGV[7] ~= '' then version = ARGV[7] end
redis.call('SET', KEYS[1], (rev + 1) .. '|' .. ARGV[1] .. '|' .. version .. '|' .. machineId .. '|' .. message ..
  ARGV[5], 'PX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[1] .. '|' .. ARGV[8], 'PX', ARGV[3])
return {'ok', rev + 1}
`);

/**
 * KEYS: flow, pointer. ARGV: flowId, message memory ms. A flow whose message is known leaves
 * the gone shape, so the message is still found. A pointer that does not read is damage:
 * dropped too.
 */
const END = new CachedScript(`${LUA_RECORD}${POINTER}
local status, raw, _, _, machineId, message = record(KEYS[1])
if status == 'finished' then
  _, _, _, machineId, message = header(raw)
elseif status ~= 'ok' then
  machineId, message = '', ''
end
if status ~= 'gone' then
  if message and message ~= '' then
    redis.call('SET', KEYS[1], 'gone|' .. machineId .. '|' .. message, 'PX', ARGV[2])
  else
    redis.call('DEL', KEYS[1])
  end
end
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
local active = pointer(KEYS[2])
if not active or active == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
`);

/**
 * KEYS: pointer[, the flow an old pointer names]. ARGV: [the id of that flow]. The open flow's
 * id and when it was last written.
 */
const ACTIVE = new CachedScript(`${LUA_RECORD}${POINTER}
local active, at = pointer(KEYS[1])
if not active then return false end
if not at then
  if active ~= ARGV[1] then return {'lookup', active} end
  at = writtenAt(KEYS[2])
  if not at then return false end
end
return {'open', active, at}
`);

const lookupReply = z.tuple([z.literal('lookup'), z.string().min(1)]);

const createReply = z.union([
  z.tuple([z.literal('created')]),
  lookupReply,
  z.tuple([z.literal('duplicate')]),
  z.tuple([z.literal('conflict'), z.string()]),
]);

const writeReply = z.union([
  z.tuple([z.literal('ok'), z.number().int()]),
  z.tuple([z.literal('conflict'), z.number().int()]),
  z.tuple([z.enum(['missing', 'expired'])]),
  z.tuple([z.literal('corrupt'), z.string()]),
]);

const wholeNumber = z
  .string()
  .regex(/^-?\d{1,16}$/)
  .transform(Number);

const storedFlow = z.object({
  machineId: z.string().min(1),
  version: wholeNumber,
  rev: wholeNumber.pipe(z.number().positive()),
  snapshot: z.string(),
  updatedAt: wholeNumber,
});

const activeReply = z.union([
  z.null(),
  lookupReply,
  z.tuple([z.literal('open'), z.string().min(1), z.number().int()]),
]);

const isWrongType = (error: unknown): boolean =>
  error instanceof Error && error.message.startsWith('WRONGTYPE');

/** The other type a key may hold is told apart from an outage, which is thrown on. */
function wrongType(error: unknown): 'wrong type' {
  if (isWrongType(error)) return 'wrong type';
  throw error;
}

/**
 * An old pointer is looked up once; a second old one in between can only come from an instance
 * still writing them during a rolling deploy.
 */
const POINTER_LOOKUPS = 3;

/** A pointer chain longer than this while ending all flows means someone keeps creating. */
const END_ALL_ROUNDS = 5;

export class RedisFlowSessionStore implements FlowSessionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
    private readonly timing: FlowSessionTiming,
    private readonly reads = new SameTickReads(redis),
  ) {}

  async create(owner: string, flowId: string, init: FlowInit): Promise<FlowCreateResult> {
    assertValidFlowIds(owner, flowId);
    assertValidInit(init);
    const snapshot = snapshotJson(init.snapshot);
    const now = this.clock.now();
    const raw = await this.declaringPointedFlow(owner, (pointed) =>
      guarded('flow.create', () =>
        CREATE.run(
          this.redis,
          [this.pointerKey(owner), this.flowKey(owner, flowId), ...pointed.keys],
          [
            now,
            this.timing.idleTimeoutMs,
            this.lifetimeMs(),
            flowId,
            `1|${now}|${init.version}|${init.machineId}|${snapshot}`,
            ...pointed.args,
          ],
        ),
      ),
    );
    const reply = createReply.safeParse(raw);
    if (!reply.success) throw new CorruptRecordError('flow pointer', 'unexpected script reply');
    const [status, activeFlowId] = reply.data;
    if (status === 'lookup') throw new CorruptRecordError('flow pointer', 'names another flow at every look');
    if (status === 'duplicate') throw new RangeError(`flow id ${flowId} was used before`);
    if (status === 'conflict') return { status, activeFlowId };
    const envelope: FlowEnvelope = {
      machineId: init.machineId,
      version: init.version,
      rev: 1,
      snapshot: JSON.parse(snapshot) as JsonValue,
      owner,
      updatedAt: now,
    };
    return { status: 'created', envelope };
  }

  async get(owner: string, flowId: string): Promise<FlowReadResult> {
    assertValidFlowIds(owner, flowId);
    const key = this.flowKey(owner, flowId);
    let raw: string | null;
    try {
      raw = await guarded('flow.get', () => this.reads.get(key));
    } catch (error) {
      if (!isWrongType(error)) throw error;
      return this.legacy(owner, await guarded('flow.get', () => this.redis.hgetall(key)).catch(wrongType));
    }
    if (raw === null) return { status: 'missing' };
    if (raw.startsWith(FINISHED)) return this.finished(raw);
    if (raw.startsWith(GONE)) return { status: 'missing' };
    const parts = /^([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|/.exec(raw);
    if (parts === null) return { status: 'corrupt', detail: 'flow record has no header' };
    const [header, rev, updatedAt, version, machineId] = parts;
    const snapshot = raw.slice(messageAt(raw, header.length).rest);
    return this.envelope(owner, { rev, updatedAt, version, machineId, snapshot });
  }

  /** The finished shape (flow-record.ts), missing once its memory ends. */
  private finished(raw: string): FlowReadResult {
    const parts = /^finished\|(\d+)\|(\d+)\|([^|]+)\|/.exec(raw);
    if (parts === null) return { status: 'corrupt', detail: 'finished flow record has no header' };
    const [header, until, finishedAt, machineId = ''] = parts;
    if (Number(until) <= this.clock.now()) return { status: 'missing' };
    try {
      const outcome = JSON.parse(raw.slice(messageAt(raw, header.length).rest)) as JsonValue;
      return { status: 'finished', machineId, outcome, finishedAt: Number(finishedAt) };
    } catch {
      return { status: 'corrupt', detail: 'finished flow outcome is not JSON' };
    }
  }

  /** A record written as a hash before envelopes became one string. */
  private legacy(owner: string, fields: Record<string, string> | 'wrong type'): FlowReadResult {
    if (fields === 'wrong type')
      return { status: 'corrupt', detail: 'flow record is neither a string nor a hash' };
    if (Object.keys(fields).length === 0) return { status: 'missing' };
    if (fields.owner !== owner) return { status: 'corrupt', detail: 'flow belongs to another owner' };
    return this.envelope(owner, fields);
  }

  private envelope(owner: string, fields: Record<string, string | undefined>): FlowReadResult {
    const parsed = storedFlow.safeParse(fields);
    if (!parsed.success) {
      const names = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))];
      return { status: 'corrupt', detail: `unreadable fields: ${names.join(', ')}` };
    }
    const stored = parsed.data;
    let snapshot: JsonValue;
    try {
      snapshot = JSON.parse(stored.snapshot) as JsonValue;
    } catch {
      return { status: 'corrupt', detail: 'snapshot is not JSON' };
    }
    if (this.isExpired(stored.updatedAt)) return { status: 'expired' };
    return { status: 'found', envelope: { ...stored, owner, snapshot } };
  }

  async compareAndSet(
    owner: string,
    flowId: string,
    expectedRev: number,
    update: FlowUpdate,
  ): Promise<FlowWriteResult> {
    assertValidFlowIds(owner, flowId);
    assertValidInit(update);
    const snapshot = snapshotJson(update.snapshot);
    const now = this.clock.now();
    const raw = await guarded('flow.compare-and-set', () =>
      COMPARE_AND_SET.run(
        this.redis,
        [this.flowKey(owner, flowId), this.pointerKey(owner)],
        [
          now,
          this.timing.idleTimeoutMs,
          this.lifetimeMs(),
          expectedRev,
          snapshot,
          update.machineId ?? '',
          update.version ?? '',
          flowId,
          update.outcome === undefined ? '' : FLOW_FINISHED_MEMORY_MS,
          update.outcome === undefined ? '' : snapshotJson(update.outcome),
        ],
      ),
    );
    const reply = writeReply.safeParse(raw);
    if (!reply.success) return { status: 'corrupt', detail: 'unexpected script reply' };
    const [status, detail] = reply.data;
    switch (status) {
      case 'ok':
        return { status, rev: detail, updatedAt: now };
      case 'conflict':
        return { status, currentRev: detail };
      case 'corrupt':
        return { status, detail };
      default:
        return { status };
    }
  }

  async end(owner: string, flowId: string): Promise<void> {
    assertValidFlowIds(owner, flowId);
    await guarded('flow.end', () =>
      END.run(
        this.redis,
        [this.flowKey(owner, flowId), this.pointerKey(owner)],
        [flowId, FLOW_MESSAGE_TTL_MS],
      ),
    );
  }

  async active(owner: string): Promise<string | null> {
    const pointer = await this.pointer(owner);
    if (!pointer || this.isExpired(pointer.updatedAt)) return null;
    return pointer.flowId;
  }

  async endAllForOwner(owner: string): Promise<void> {
    for (let round = 0; round < END_ALL_ROUNDS; round += 1) {
      const pointer = await this.pointer(owner);
      if (!pointer) return;
      await this.end(owner, pointer.flowId);
    }
    throw new Error(`flows of ${owner} kept being created while ending them all`);
  }

  /**
   * The flow the pointer names and when it was last written, expired or not; none when the
   * pointer is damaged (create replaces it) or names a flow that is no longer open.
   */
  private async pointer(owner: string): Promise<{ flowId: string; updatedAt: number } | null> {
    assertValidFlowIds(owner);
    const raw = await this.declaringPointedFlow(owner, (pointed) =>
      guarded('flow.active', () =>
        ACTIVE.run(this.redis, [this.pointerKey(owner), ...pointed.keys], pointed.args),
      ),
    );
    const reply = activeReply.safeParse(raw);
    if (!reply.success || reply.data === null || reply.data[0] === 'lookup') return null;
    const [, flowId, updatedAt] = reply.data;
    return { flowId, updatedAt };
  }

  /**
   * Runs a script that reads the owner's pointer; when the pointer names its flow only (written
   * before it carried the time), runs it again declaring that flow's key and id.
   */
  private async declaringPointedFlow(
    owner: string,
    run: (pointed: { keys: string[]; args: string[] }) => Promise<unknown>,
  ): Promise<unknown> {
    let raw = await run({ keys: [], args: [] });
    for (let round = 1; round < POINTER_LOOKUPS; round += 1) {
      const lookup = lookupReply.safeParse(raw);
      if (!lookup.success) return raw;
      const [, flowId] = lookup.data;
      raw = await run({ keys: [this.flowKey(owner, flowId)], args: [flowId] });
    }
    return raw;
  }

  private isExpired(updatedAt: number): boolean {
    return this.clock.now() - updatedAt > this.timing.idleTimeoutMs;
  }

  private lifetimeMs(): number {
    return this.timing.idleTimeoutMs + FLOW_EXPIRED_GRACE_MS;
  }

  private flowKey(owner: string, flowId: string): string {
    return this.keys.tagged(owner, 'flow', flowId);
  }

  private pointerKey(owner: string): string {
    return this.keys.tagged(owner, 'flow-active');
  }
}
