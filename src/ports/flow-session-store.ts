/**
 * Where conversation flows live between interactions: one envelope per flow id holding
 * the persisted xstate snapshot, written back only if nobody else wrote in between
 * (compare-and-set on `rev`). An owner ('slack:T1:U1', or 'acct:1001' for web reset
 * flows) has at most one active flow. A flow idle for longer than the idle timeout is
 * expired: it can no longer be read or written, only told apart from one that never was.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface FlowEnvelope {
  machineId: string;
  /** The machine's version when the snapshot was written; a mismatch means migrate or end. */
  version: number;
  /** 1 on create, +1 on every successful compare-and-set. */
  rev: number;
  snapshot: JsonValue;
  owner: string;
  /** Epoch ms of the last write; the idle timeout counts from here. */
  updatedAt: number;
}

export interface FlowInit {
  machineId: string;
  version: number;
  /** Anything JSON.stringify turns into JSON (an xstate persisted snapshot). */
  snapshot: unknown;
}

export interface FlowUpdate {
  snapshot: unknown;
  /** Set when the flow was migrated to another machine or version. */
  machineId?: string;
  version?: number;
  /**
   * Set when the flow ended with this write: the snapshot is not kept, only this outcome,
   * read back as `finished` for FLOW_FINISHED_MEMORY_MS; the owner's pointer is cleared.
   */
  outcome?: JsonValue;
}

export type FlowCreateResult =
  { status: 'created'; envelope: FlowEnvelope } | { status: 'conflict'; activeFlowId: string };

export type FlowReadResult =
  | { status: 'found'; envelope: FlowEnvelope }
  | { status: 'missing' }
  /** Ended by a write with an outcome, within FLOW_FINISHED_MEMORY_MS: a late duplicate, not a stranger. */
  | { status: 'finished'; machineId: string; outcome: JsonValue; finishedAt: number }
  | { status: 'expired' }
  | { status: 'corrupt'; detail: string };

export type FlowWriteResult =
  | { status: 'ok'; rev: number; updatedAt: number }
  | { status: 'conflict'; currentRev: number }
  | { status: 'missing' }
  | { status: 'expired' }
  | { status: 'corrupt'; detail: string };

export interface FlowSessionTiming {
  /** config.flows.idleTimeoutMs: a flow untouched for longer than this is expired. */
  idleTimeoutMs: number;
}

/** How long an expired flow's record is kept so that touching it can say "expired". */
export const FLOW_EXPIRED_GRACE_MS = 24 * 60 * 60 * 1000;

/** How long a finished flow is remembered, so duplicates of its last step are told apart from strangers. */
export const FLOW_FINISHED_MEMORY_MS = 24 * 60 * 60 * 1000;

export interface FlowSessionStore {
  /**
   * Starts a flow at rev 1 and makes it the owner's active flow, unless the owner already
   * has an active (unexpired) one. Throws RangeError if the flow id was used before by a
   * flow that has not finished.
   */
  create(owner: string, flowId: string, init: FlowInit): Promise<FlowCreateResult>;
  /** Never throws for damaged data: that is `corrupt`, with a detail for the log. */
  get(owner: string, flowId: string): Promise<FlowReadResult>;
  /**
   * Writes the update only if the stored rev is `expectedRev` and the flow has not
   * expired; refreshes updatedAt and the flow's lifetime. A finished flow is `missing`.
   */
  compareAndSet(
    owner: string,
    flowId: string,
    expectedRev: number,
    update: FlowUpdate,
  ): Promise<FlowWriteResult>;
  /** Deletes the flow and clears the owner's active pointer if it points at it. */
  end(owner: string, flowId: string): Promise<void>;
  /** The owner's active flow id; an expired flow is not active. */
  active(owner: string): Promise<string | null>;
  /** Ends the owner's active flow ("This wasn't me", password reset). */
  endAllForOwner(owner: string): Promise<void>;
}

/** Owners and flow ids end up in Redis key names; a brace would move the key to another slot. */
export function assertValidFlowIds(owner: string, flowId?: string): void {
  if (!/^[^\s{}]{1,200}$/.test(owner)) {
    throw new RangeError('flow owner must be 1 to 200 characters without spaces or braces');
  }
  if (flowId !== undefined && !/^[^\s{}:]{1,128}$/.test(flowId)) {
    throw new RangeError('flow id must be 1 to 128 characters without spaces, colons or braces');
  }
}

/** JSON text of a snapshot, or a RangeError for values JSON cannot hold. */
export function snapshotJson(snapshot: unknown): string {
  const text = JSON.stringify(snapshot);
  if (typeof text !== 'string') throw new RangeError('flow snapshot must be a JSON value');
  return text;
}

export function assertValidInit(init: FlowInit | FlowUpdate): void {
  if (init.machineId !== undefined && !/^[^|]+$/.test(init.machineId)) {
    throw new RangeError('machine id must not be empty nor hold a |');
  }
  if (init.version !== undefined && !Number.isSafeInteger(init.version)) {
    throw new RangeError('machine version must be a whole number');
  }
}
