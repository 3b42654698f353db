import type { AnyMachineSnapshot } from 'xstate';
import { isBusy, type FlowOutput, type FlowView } from '../../machines/index.js';
import { FLOW_FINISHED_MEMORY_MS } from '../ports/flow-session-store.js';
import { flowTag, type EffectDependencies } from './effects/context.js';
import type { EngineResult } from './flow-engine.js';
import type { FlowId } from './flow-registry.js';

const FINISHED = 'finished';

/** A run that settled: the snapshot and what it shows (read while the run's children were alive). */
export interface SettledRun {
  snapshot: AnyMachineSnapshot;
  view: FlowView | null;
}

type RecordDeps = Pick<EffectDependencies, 'flows' | 'scratch' | 'audit' | 'logger'>;

/** What the engine writes down about flows beside their envelopes: how they ended, and the audit trail. */
export class FlowRecords {
  constructor(
    private readonly deps: RecordDeps,
    /** Whether the engine runs a flow of this id. */
    private readonly runs: (machineId: string) => machineId is FlowId,
  ) {}

  /** The owner's open flow; an unreadable one is ended on the way. */
  async open(owner: string): Promise<{ flowId: string; machineId: FlowId } | null> {
    const flowId = await this.deps.flows.active(owner);
    if (flowId === null) return null;
    const read = await this.deps.flows.get(owner, flowId);
    if (read.status === 'found') {
      const { machineId } = read.envelope;
      if (this.runs(machineId)) return { flowId, machineId };
      await this.ended(owner, flowId, null, 'corrupt', 'unknown machine');
    }
    if (read.status === 'corrupt') await this.ended(owner, flowId, null, 'corrupt', read.detail);
    return null;
  }

  /**
   * The answer for a flow after an interaction; a finished flow is removed and remembered.
   * `stored`: the flow session store already holds the outcome (a finishing compare-and-set).
   */
  async outcome(
    owner: string,
    flowId: string,
    machineId: FlowId,
    { snapshot, view }: SettledRun,
    stored = false,
  ): Promise<EngineResult> {
    if (snapshot.status !== 'done') {
      return { status: 'active', flowId, machineId, view, busy: isBusy(snapshot) };
    }
    if (!stored) {
      await this.deps.scratch.put(flowTag(flowId), FINISHED, owner, FLOW_FINISHED_MEMORY_MS);
      await this.deps.flows.end(owner, flowId);
    }
    const output = snapshot.output as FlowOutput;
    await this.note(owner, flowId, null, 'flow.finished', { machine: machineId, status: output.status });
    return {
      status: 'finished',
      flowId,
      machineId,
      output,
      view,
      ...(stored ? { recorded: true as const } : {}),
    };
  }

  async finishedEarlier(owner: string, flowId: string): Promise<boolean> {
    return (await this.deps.scratch.get(flowTag(flowId), FINISHED)) === owner;
  }

  /** A flow that cannot be continued is removed and the removal audited. */
  async ended(
    owner: string,
    flowId: string,
    accountId: string | null,
    reason: 'version' | 'corrupt',
    detail: string,
  ): Promise<EngineResult> {
    await this.deps.flows.end(owner, flowId);
    this.deps.logger.warn({ flowId, reason, detail }, 'flow ended: it cannot be continued');
    await this.deps.audit.record({
      actor: 'system',
      flowId,
      ...(accountId === null ? {} : { accountId }),
      action: 'flow.ended',
      outcome: 'failure',
      detail: { reason, owner },
    });
    return { status: 'ended', flowId, reason };
  }

  /** A flow the account's self-service lock refused to start. */
  async refusedLocked(owner: string, accountId: string, machineId: FlowId): Promise<EngineResult> {
    await this.deps.audit.record({
      actor: owner,
      accountId,
      action: 'flow.start',
      outcome: 'refused',
      detail: { reason: 'self-service-locked', machine: machineId },
    });
    return { status: 'locked' };
  }

  note(
    owner: string,
    flowId: string,
    accountId: string | null,
    action: string,
    detail: Record<string, string>,
  ): Promise<void> {
    return this.deps.audit.record({
      actor: owner,
      flowId,
      ...(accountId === null ? {} : { accountId }),
      action,
      outcome: 'info',
      detail,
    });
  }
}
