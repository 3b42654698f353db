import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { CorruptRecordError } from '../../core/errors.js';
import {
  assertValidFlowIds,
  assertValidInit,
  FLOW_EXPIRED_GRACE_MS,
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
 * - `{owner}:flow:<flowId>`, a hash {machineId, version, rev, snapshot, owner, updatedAt};
 *   the snapshot stays JSON text the scripts never decode (cjson would turn [] into {}).
 * - `{owner}:flow-active`, a hash {flowId, updatedAt}: the owner's active flow. It carries
 *   updatedAt so a script can tell whether that flow expired without reading a key it was
 *   not given. Every write to the active flow writes both, with the same lifetime.
 * A flow is expired when now - updatedAt > idle; both keys live idle + grace, so an
 * expired flow can still answer "expired" for a while.
 */

/** KEYS: pointer, flow. ARGV: now, idle, ttl, flowId, machineId, version, snapshot, owner. */
const CREATE = new CachedScript(`
local now, idle = tonumber(ARGV[1]), tonumber(ARGV[2])
if redis.call('TYPE', KEYS[1]).ok == 'hash' then
  local active = redis.call('HMGET', KEYS[1], 'flowId', 'updatedAt')
  local at = tonumber(active[2])
  if active[1] and at and now - at <= idle then return {'conflict', active[1]} end
end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'duplicate'} end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[2], 'machineId', ARGV[5], 'version', ARGV[6], 'rev', 1,
  'snapshot', ARGV[7], 'owner', ARGV[8], 'updatedAt', ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[1], 'flowId', ARGV[4], 'updatedAt', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {'created'}
`);

/**
 * KEYS: flow, pointer. ARGV: now, idle, ttl, expectedRev, snapshot, machineId, version,
 * flowId (machineId and version empty = unchanged).
 */
const COMPARE_AND_SET = new CachedScript(`
local now, idle = tonumber(ARGV[1]), tonumber(ARGV[2])
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'none' then return {'missing'} end
if kind ~= 'hash' then return {'corrupt', 'flow record is a ' .. kind} end
local stored = redis.call('HMGET', KEYS[1], 'rev', 'updatedAt')
local rev, at = tonumber(stored[1]), tonumber(stored[2])
if not rev or not at then return {'corrupt', 'flow rev or updatedAt is not a number'} end
if now - at > idle then return {'expired'} end
if rev ~= tonumber(ARGV[4]) then return {'conflict', rev} end
redis.call('HSET', KEYS[1], 'rev', rev + 1, 'updatedAt', ARGV[1], 'snapshot', ARGV[5])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'machineId', ARGV[6]) end
if ARGV[7] ~= '' then redis.call('HSET', KEYS[1], 'version', ARGV[7]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if redis.call('TYPE', KEYS[2]).ok == 'hash' and redis.call('HGET', KEYS[2], 'flowId') == ARGV[8] then
  redis.call('HSET', KEYS[2], 'updatedAt', ARGV[1])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
return {'ok', rev + 1}
`);

/** KEYS: flow, pointer. ARGV: flowId. A pointer of the wrong type is damage: drop it too. */
const END = new CachedScript(`
redis.call('DEL', KEYS[1])
local kind = redis.call('TYPE', KEYS[2]).ok
if kind == 'none' then return 0 end
if kind ~= 'hash' or redis.call('HGET', KEYS[2], 'flowId') == ARGV[1] then redis.call('DEL', KEYS[2]) end
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
  owner: z.string().min(1),
  updatedAt: wholeNumber,
});

const storedPointer = z.tuple([z.string().min(1), wholeNumber]);

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
          init.machineId,
          init.version,
          snapshot,
          owner,
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
    let fields: Record<string, string>;
    try {
      fields = await guarded('flow.get', () => this.redis.hgetall(this.flowKey(owner, flowId)));
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('WRONGTYPE')) {
        return { status: 'corrupt', detail: 'flow record is not a hash' };
      }
      throw error;
    }
    if (Object.keys(fields).length === 0) return { status: 'missing' };
    const parsed = storedFlow.safeParse(fields);
    if (!parsed.success) {
      const names = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))];
      return { status: 'corrupt', detail: `unreadable fields: ${names.join(', ')}` };
    }
    const stored = parsed.data;
    if (stored.owner !== owner) return { status: 'corrupt', detail: 'flow belongs to another owner' };
    let snapshot: JsonValue;
    try {
      snapshot = JSON.parse(stored.snapshot) as JsonValue;
    } catch {
      return { status: 'corrupt', detail: 'snapshot is not JSON' };
    }
    if (this.isExpired(stored.updatedAt)) return { status: 'expired' };
    return { status: 'found', envelope: { ...stored, snapshot } };
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
    let fields: (string | null)[];
    try {
      fields = await guarded('flow.active', () =>
        this.redis.hmget(this.pointerKey(owner), 'flowId', 'updatedAt'),
      );
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('WRONGTYPE')) return null;
      throw error;
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
