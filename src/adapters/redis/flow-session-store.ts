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
import { CachedScript } from './cached-script.js';
import { guarded, type RedisClient } from './connection.js';
import type { RedisKeys } from './keys.js';

/*
 * Keys, all tagged by the owner so every script stays in one Cluster slot:
 * - `{owner}:flow:<flowId>`, one string `<rev>|<updatedAt>|<version>|<machineId>|<snapshot>`:
 *   one value is a fraction of a hash's memory once a field outgrows a listpack, and the
 *   scripts read the header without decoding the snapshot JSON (cjson would turn [] into {}).
 * - `{owner}:flow-active`, a string `<updatedAt>|<flowId>`: the owner's active flow. It carries
 *   updatedAt so a script can tell whether that flow expired without reading a key it was
 *   not given. Every write to the active flow writes both, with the same lifetime.
 * A flow is expired when now - updatedAt > idle; both keys live idle + grace, so an
 * expired flow can still answer "expired" for a while. A write with an outcome leaves
 * `finished|<until>|<finishedAt>|<machineId>|<outcome>` in the flow's key for the finished
 * memory and drops the pointer; a new flow may take that id. Both keys were hashes before; the
 * scripts still read those and replace them with strings on the next write.
 */

/** Reads either form of both keys into flow(key) → rev, at, version, machineId, snapshot; pointer(key) → flowId, at. */
const READERS = `
local function flow(key)
  local kind = redis.call('TYPE', key).ok
  if kind == 'none' then return 'none' end
  if kind == 'hash' then
    local f = redis.call('HMGET', key, 'rev', 'updatedAt', 'version', 'machineId', 'snapshot')
    return 'ok', tonumber(f[1]), tonumber(f[2]), f[3], f[4], f[5]
  end
  if kind ~= 'string' then return 'corrupt', 'flow record is a ' .. kind end
  local raw = redis.call('GET', key)
  if string.sub(raw, 1, 9) == 'finished|' then return 'finished' end
  local a = string.find(raw, '|', 1, true)
  local b = a and string.find(raw, '|', a + 1, true)
  local c = b and string.find(raw, '|', b + 1, true)
  local d = c and string.find(raw, '|', c + 1, true)
  if not d then return 'corrupt', 'flow record has no header' end
  return 'ok', tonumber(string.sub(raw, 1, a - 1)), tonumber(string.sub(raw, a + 1, b - 1)),
    string.sub(raw, b + 1, c - 1), string.sub(raw, c + 1, d - 1), string.sub(raw, d + 1)
end
local function pointer(key)
  local kind = redis.call('TYPE', key).ok
  if kind == 'hash' then
    local p = redis.call('HMGET', key, 'flowId', 'updatedAt')
    return p[1], tonumber(p[2])
  end
  if kind ~= 'string' then return nil, nil end
  local raw = redis.call('GET', key)
  local bar = string.find(raw, '|', 1, true)
  if not bar then return nil, nil end
  return string.sub(raw, bar + 1), tonumber(string.sub(raw, 1, bar - 1))
end
`;

/** KEYS: pointer, flow. ARGV: now, idle, ttl, flowId, value, pointer value. */
const CREATE = new CachedScript(`${READERS}
local now, idle = tonumber(ARGV[1]), tonumber(ARGV[2])
local active, at = pointer(KEYS[1])
if active and at and now - at <= idle then return {'conflict', active} end
local earlier = flow(KEYS[2])
if earlier ~= 'none' and earlier ~= 'finished' then return {'duplicate'} end
redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[3])
redis.call('SET', KEYS[1], ARGV[6], 'PX', ARGV[3])
return {'created'}
`);

/**
 * KEYS: flow, pointer. ARGV: now, idle, ttl, expectedRev, snapshot, machineId, version,
 * flowId (machineId and version empty = unchanged), finished memory ms and outcome (empty = not
 * finished).
 */
const COMPARE_AND_SET = new CachedScript(`${READERS}
local now, idle = tonumber(ARGV[1]), tonumber(ARGV[2])
local status, rev, at, version, machineId, snapshot = flow(KEYS[1])
if status == 'none' or status == 'finished' then return {'missing'} end
if status == 'corrupt' then return {'corrupt', rev} end
if not rev or not at then return {'corrupt', 'flow rev or updatedAt is not a number'} end
if not version or not machineId or not snapshot then return {'corrupt', 'flow record lacks fields'} end
if now - at > idle then return {'expired'} end
if rev ~= tonumber(ARGV[4]) then return {'conflict', rev} end
if ARGV[9] ~= '' then
  redis.call('SET', KEYS[1], 'finished|' .. string.format('%d', now + tonumber(ARGV[9])) .. '|' .. ARGV[1] .. '|' ..
    machineId .. '|' .. ARGV[10], 'PX', ARGV[9])
  if pointer(KEYS[2]) == ARGV[8] then redis.call('DEL', KEYS[2]) end
  return {'ok', rev + 1}
end
if ARGV[6] ~= '' then machineId = ARGV[6] end
if ARGV[7] ~= '' then version = ARGV[7] end
redis.call('SET', KEYS[1], (rev + 1) .. '|' .. ARGV[1] .. '|' .. version .. '|' .. machineId .. '|' .. ARGV[5],
  'PX', ARGV[3])
if pointer(KEYS[2]) == ARGV[8] then redis.call('SET', KEYS[2], ARGV[1] .. '|' .. ARGV[8], 'PX', ARGV[3]) end
return {'ok', rev + 1}
`);

/** KEYS: flow, pointer. ARGV: flowId. A pointer that does not read is damage: drop it too. */
const END = new CachedScript(`${READERS}
redis.call('DEL', KEYS[1])
if redis.call('TYPE', KEYS[2]).ok == 'none' then return 0 end
local active, at = pointer(KEYS[2])
if not at or active == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
`);

const createReply = z.union([
  z.tuple([z.literal('created')]),
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

const FINISHED = 'finished|';

const storedPointer = z.tuple([z.string().min(1), wholeNumber]);

const isWrongType = (error: unknown): boolean =>
  error instanceof Error && error.message.startsWith('WRONGTYPE');

/** The other type a key may hold is told apart from an outage, which is thrown on. */
function wrongType(error: unknown): 'wrong type' {
  if (isWrongType(error)) return 'wrong type';
  throw error;
}

/** A pointer chain longer than this while ending all flows means someone keeps creating. */
const END_ALL_ROUNDS = 5;

export class RedisFlowSessionStore implements FlowSessionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
    private readonly timing: FlowSessionTiming,
  ) {}

  async create(owner: string, flowId: string, init: FlowInit): Promise<FlowCreateResult> {
    assertValidFlowIds(owner, flowId);
    assertValidInit(init);
    const snapshot = snapshotJson(init.snapshot);
    const now = this.clock.now();
    const raw = await guarded('flow.create', () =>
      CREATE.run(
        this.redis,
        [this.pointerKey(owner), this.flowKey(owner, flowId)],
        [
          now,
          this.timing.idleTimeoutMs,
          this.lifetimeMs(),
          flowId,
          `1|${now}|${init.version}|${init.machineId}|${snapshot}`,
          `${now}|${flowId}`,
        ],
      ),
    );
    const reply = createReply.safeParse(raw);
    if (!reply.success) throw new CorruptRecordError('flow pointer', 'unexpected script reply');
    const [status, activeFlowId] = reply.data;
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
      raw = await guarded('flow.get', () => this.redis.get(key));
    } catch (error) {
      if (!isWrongType(error)) throw error;
      return this.legacy(owner, await guarded('flow.get', () => this.redis.hgetall(key)).catch(wrongType));
    }
    if (raw === null) return { status: 'missing' };
    if (raw.startsWith(FINISHED)) return this.finished(raw);
    const parts = /^([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|/.exec(raw);
    if (parts === null) return { status: 'corrupt', detail: 'flow record has no header' };
    const [header, rev, updatedAt, version, machineId] = parts;
    return this.envelope(owner, { rev, updatedAt, version, machineId, snapshot: raw.slice(header.length) });
  }

  /** `finished|<until>|<finishedAt>|<machineId>|<outcome>`, missing once its memory ends. */
  private finished(raw: string): FlowReadResult {
    const parts = /^finished\|(\d+)\|(\d+)\|([^|]+)\|/.exec(raw);
    if (parts === null) return { status: 'corrupt', detail: 'finished flow record has no header' };
    const [header, until, finishedAt, machineId = ''] = parts;
    if (Number(until) <= this.clock.now()) return { status: 'missing' };
    try {
      const outcome = JSON.parse(raw.slice(header.length)) as JsonValue;
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
      END.run(this.redis, [this.flowKey(owner, flowId), this.pointerKey(owner)], [flowId]),
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

  /** The active pointer, expired or not; a damaged pointer counts as none (create replaces it). */
  private async pointer(owner: string): Promise<{ flowId: string; updatedAt: number } | null> {
    assertValidFlowIds(owner);
    const key = this.pointerKey(owner);
    let fields: (string | null | undefined)[];
    try {
      const raw = await guarded('flow.active', () => this.redis.get(key));
      const bar = raw?.indexOf('|') ?? -1;
      fields = raw === null || bar < 0 ? [] : [raw.slice(bar + 1), raw.slice(0, bar)];
    } catch (error) {
      if (!isWrongType(error)) throw error;
      const legacy = await guarded('flow.active', () => this.redis.hmget(key, 'flowId', 'updatedAt')).catch(
        wrongType,
      );
      fields = legacy === 'wrong type' ? [] : legacy;
    }
    const parsed = storedPointer.safeParse(fields);
    if (!parsed.success) return null;
    const [flowId, updatedAt] = parsed.data;
    return { flowId, updatedAt };
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
