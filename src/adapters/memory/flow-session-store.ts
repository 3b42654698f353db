import type { Clock } from '../../core/clock.js';
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

/** The snapshot is kept as JSON text so callers never share objects with the store. */
interface StoredFlow extends Omit<FlowEnvelope, 'snapshot'> {
  snapshot: string;
  keepUntil: number;
  outcome?: string;
}

interface ActivePointer {
  flowId: string;
  updatedAt: number;
  keepUntil: number;
}

/**
 * The in-process twin of RedisFlowSessionStore: the same idle timeout and grace, measured
 * on the clock. Every method runs to completion without awaiting, which is what makes
 * compare-and-set atomic here.
 */
export class MemoryFlowSessionStore implements FlowSessionStore {
  private readonly flows = new Map<string, StoredFlow>();
  private readonly pointers = new Map<string, ActivePointer>();

  constructor(
    private readonly clock: Clock,
    private readonly timing: FlowSessionTiming,
  ) {}

  async create(owner: string, flowId: string, init: FlowInit): Promise<FlowCreateResult> {
    assertValidFlowIds(owner, flowId);
    assertValidInit(init);
    const snapshot = snapshotJson(init.snapshot);
    const now = this.clock.now();
    const pointer = this.livePointer(owner);
    if (pointer && !this.isExpired(pointer.updatedAt)) {
      return { status: 'conflict', activeFlowId: pointer.flowId };
    }
    const earlier = this.liveFlow(owner, flowId);
    if (earlier && earlier.outcome === undefined) throw new RangeError(`flow id ${flowId} was used before`);
    const keepUntil = now + this.lifetimeMs();
    const stored: StoredFlow = {
      machineId: init.machineId,
      version: init.version,
      rev: 1,
      snapshot,
      owner,
      updatedAt: now,
      keepUntil,
    };
    this.flows.set(flowKey(owner, flowId), stored);
    this.pointers.set(owner, { flowId, updatedAt: now, keepUntil });
    return { status: 'created', envelope: envelopeOf(stored) };
  }

  async get(owner: string, flowId: string): Promise<FlowReadResult> {
    assertValidFlowIds(owner, flowId);
    const stored = this.liveFlow(owner, flowId);
    if (!stored) return { status: 'missing' };
    if (stored.outcome !== undefined) {
      const { machineId, updatedAt: finishedAt } = stored;
      return { status: 'finished', machineId, outcome: JSON.parse(stored.outcome) as JsonValue, finishedAt };
    }
    if (this.isExpired(stored.updatedAt)) return { status: 'expired' };
    return { status: 'found', envelope: envelopeOf(stored) };
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
    const stored = this.liveFlow(owner, flowId);
    if (!stored || stored.outcome !== undefined) return { status: 'missing' };
    if (this.isExpired(stored.updatedAt)) return { status: 'expired' };
    if (stored.rev !== expectedRev) return { status: 'conflict', currentRev: stored.rev };
    const now = this.clock.now();
    if (update.outcome !== undefined) {
      const outcome = snapshotJson(update.outcome);
      Object.assign(stored, { rev: stored.rev + 1, snapshot: 'null', outcome, updatedAt: now });
      stored.keepUntil = now + FLOW_FINISHED_MEMORY_MS;
      if (this.livePointer(owner)?.flowId === flowId) this.pointers.delete(owner);
      return { status: 'ok', rev: stored.rev, updatedAt: now };
    }
    const keepUntil = now + this.lifetimeMs();
    Object.assign(stored, {
      rev: stored.rev + 1,
      updatedAt: now,
      snapshot,
      machineId: update.machineId ?? stored.machineId,
      version: update.version ?? stored.version,
      keepUntil,
    });
    const pointer = this.livePointer(owner);
    if (pointer?.flowId === flowId) Object.assign(pointer, { updatedAt: now, keepUntil });
    return { status: 'ok', rev: stored.rev, updatedAt: now };
  }

  async end(owner: string, flowId: string): Promise<void> {
    assertValidFlowIds(owner, flowId);
    this.flows.delete(flowKey(owner, flowId));
    if (this.pointers.get(owner)?.flowId === flowId) this.pointers.delete(owner);
  }

  async active(owner: string): Promise<string | null> {
    assertValidFlowIds(owner);
    const pointer = this.livePointer(owner);
    if (!pointer || this.isExpired(pointer.updatedAt)) return null;
    return pointer.flowId;
  }

  async endAllForOwner(owner: string): Promise<void> {
    assertValidFlowIds(owner);
    const pointer = this.livePointer(owner);
    if (pointer) await this.end(owner, pointer.flowId);
  }

  private liveFlow(owner: string, flowId: string): StoredFlow | undefined {
    const key = flowKey(owner, flowId);
    const stored = this.flows.get(key);
    if (stored && stored.keepUntil <= this.clock.now()) {
      this.flows.delete(key);
      return undefined;
    }
    return stored;
  }

  private livePointer(owner: string): ActivePointer | undefined {
    const pointer = this.pointers.get(owner);
    if (pointer && pointer.keepUntil <= this.clock.now()) {
      this.pointers.delete(owner);
      return undefined;
    }
    return pointer;
  }

  private isExpired(updatedAt: number): boolean {
    return this.clock.now() - updatedAt > this.timing.idleTimeoutMs;
  }

  private lifetimeMs(): number {
    return this.timing.idleTimeoutMs + FLOW_EXPIRED_GRACE_MS;
  }
}

/** Owners and flow ids hold no spaces (see assertValidFlowIds), so a space separates them. */
function flowKey(owner: string, flowId: string): string {
  return `${owner} ${flowId}`;
}

function envelopeOf(stored: StoredFlow): FlowEnvelope {
  return {
    machineId: stored.machineId,
    version: stored.version,
    rev: stored.rev,
    snapshot: JSON.parse(stored.snapshot) as JsonValue,
    owner: stored.owner,
    updatedAt: stored.updatedAt,
  };
}
