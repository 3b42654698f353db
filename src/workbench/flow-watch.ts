import type {
  FlowCreateResult,
  FlowInit,
  FlowReadResult,
  FlowSessionStore,
  FlowUpdate,
  FlowWriteResult,
} from '../ports/flow-session-store.js';
import { standingOf } from '../engine/snapshot-codec.js';

/** Where a flow stands: the machine and the state path(s) of its persisted snapshot. */
export interface WatchedFlow {
  flowId: string;
  machineId: string;
  /** Active leaf states as dotted paths, into the child a state runs (`enterValue`, `confirming.enterCode`). */
  states: string[];
  /** `active`, or the output status (`completed`, `cancelled`, `failed`…) once done. */
  outcome: string;
}

const FINISHED_KEPT = 20;

/**
 * Watches the flow sessions the engine writes so the workbench can draw each person's flow
 * live: it wraps the store, records the state every write carries, and changes nothing.
 */
export class FlowWatch implements FlowSessionStore {
  private readonly current = new Map<string, WatchedFlow>();
  private readonly finished = new Map<string, WatchedFlow[]>();

  constructor(private readonly inner: FlowSessionStore) {}

  /** The owner's flow in progress, if the workbench saw it move. */
  activeOf(owner: string): WatchedFlow | null {
    return this.current.get(owner) ?? null;
  }

  /** Finished flows of the owner, newest first. */
  finishedOf(owner: string): WatchedFlow[] {
    return [...(this.finished.get(owner) ?? [])];
  }

  async create(owner: string, flowId: string, init: FlowInit): Promise<FlowCreateResult> {
    const result = await this.inner.create(owner, flowId, init);
    if (result.status === 'created') this.note(owner, flowId, init.machineId, init.snapshot);
    return result;
  }

  get(owner: string, flowId: string): Promise<FlowReadResult> {
    return this.inner.get(owner, flowId);
  }

  async compareAndSet(
    owner: string,
    flowId: string,
    expectedRev: number,
    update: FlowUpdate,
  ): Promise<FlowWriteResult> {
    const result = await this.inner.compareAndSet(owner, flowId, expectedRev, update);
    if (result.status === 'ok') {
      const machineId = update.machineId ?? this.current.get(owner)?.machineId;
      if (machineId) this.note(owner, flowId, machineId, update.snapshot);
      // A write with an outcome ends the flow (the store keeps only that outcome).
      if (update.outcome !== undefined) this.retire(owner, flowId);
    }
    return result;
  }

  async end(owner: string, flowId: string): Promise<void> {
    await this.inner.end(owner, flowId);
    this.retire(owner, flowId);
  }

  active(owner: string): Promise<string | null> {
    return this.inner.active(owner);
  }

  async endAllForOwner(owner: string): Promise<void> {
    await this.inner.endAllForOwner(owner);
    const flow = this.current.get(owner);
    if (flow) this.retire(owner, flow.flowId);
  }

  private note(owner: string, flowId: string, machineId: string, snapshot: unknown): void {
    const state = persistedState(snapshot);
    this.current.set(owner, {
      flowId,
      machineId,
      states: statePaths(state.snapshot),
      outcome: state.outcome,
    });
  }

  private retire(owner: string, flowId: string): void {
    const flow = this.current.get(owner);
    if (!flow || flow.flowId !== flowId) return;
    this.current.delete(owner);
    const finished = [{ ...flow, outcome: flow.outcome === 'active' ? 'ended' : flow.outcome }];
    this.finished.set(owner, [...finished, ...(this.finished.get(owner) ?? [])].slice(0, FINISHED_KEPT));
  }
}

function persistedState(snapshot: unknown): { snapshot: unknown; outcome: string } {
  const { status, output } = standingOf(snapshot);
  const outputStatus =
    typeof output === 'object' && output !== null ? (output as { status?: unknown }).status : null;
  const outcome = status === 'done' && typeof outputStatus === 'string' ? outputStatus : 'active';
  return { snapshot: field(snapshot, 'state') ?? snapshot, outcome };
}

/**
 * The leaf states, followed into the child machines they run (step-up, a code challenge),
 * in either stored form: compact (`v` value, `k` children as `{ s: snapshot }`) or as XState
 * persisted it (`value`, `children` as `{ snapshot }`).
 */
function statePaths(state: unknown): string[] {
  const own = leafPaths(field(state, 'v') ?? field(state, 'value'));
  const children = Object.values(field(state, 'k') ?? field(state, 'children') ?? {});
  const nested = children.flatMap((child) =>
    statePaths(field(child, 's') ?? field(child, 'snapshot')).flatMap((path) =>
      own.map((leaf) => `${leaf}.${path}`),
    ),
  );
  return nested.length > 0 ? nested : own;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function leafPaths(value: unknown, prefix: string[] = []): string[] {
  if (typeof value === 'string') return [[...prefix, value].join('.')];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
}
