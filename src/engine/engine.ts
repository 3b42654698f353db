import { randomBytes } from 'node:crypto';
import { type Actor, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate';
import {
  childMachines,
  hasFlowTag,
  holdsSecret,
  isBusy,
  versionOf,
  viewOf,
  type FlowOutput,
  type TickEvent,
} from '../../machines/index.js';
import { TemporarilyUnavailableError } from '../core/errors.js';
import type { Account } from '../domain/account.js';
import { parseOwner } from '../domain/flow-owner.js';
import type { AccountDirectory } from '../ports/account-directory.js';
import {
  assertValidFlowIds,
  type FlowEnvelope,
  type FlowReadResult,
  type JsonValue,
} from '../ports/flow-session-store.js';
import { PrivilegedWindow } from '../services/privileged-window.js';
import { readingEachAccountOnce } from './effects/account-reads.js';
import type { EffectDependencies, FlowBinding, Interaction } from './effects/index.js';
import { FlowActors } from './flow-actors.js';
import {
  flowRegistry,
  type FlowId,
  type FlowRegistration,
  type FlowRegistry,
  type StartInput,
} from './flow-registry.js';
import type {
  DeliveryClaim,
  EngineResult,
  FlowEngine,
  FlowEvent,
  FlowEnding,
  FlowEventWithoutNow,
  FlowOwner,
  InteractionOptions,
  StartOptions,
} from './flow-engine.js';
import { FlowRecords, type SettledRun } from './flow-records.js';
import { snapshotMigrations, type MigrationRegistry } from './migrations.js';
import { ParkedFlows } from './parked-flows.js';
import { settled } from './settled.js';
import { SnapshotCodec, type StoredFlow } from './snapshot-codec.js';

/**
 * What an interaction may carry for its effects only, never persisted (the reset page's
 * token), and the claim of the delivery it came in.
 */
export interface Transient extends InteractionOptions {
  resetToken?: string;
}

export interface EngineOptions {
  /** The flows it runs: the registry, unless a test brings machines of its own. */
  flows?: FlowRegistry;
  migrations?: MigrationRegistry;
  /** How long an interaction waits for invoked effects before it gives up and persists nothing. */
  settleTimeoutMs?: number;
  /** How long a flow parked on someone else (identity review) is kept. */
  parkedTtlMs?: number;
}

/** Thrown by start() when the owner has no account and the flow needs one (link the Slack user first). */
class NoAccountError extends Error {
  readonly code = 'NO_ACCOUNT';
  constructor(owner: string) {
    super(`${owner} has no linked account`);
    this.name = 'NoAccountError';
  }
}

/** A settled run, and the snapshot to persist from it. */
type Run = SettledRun & { persisted: Record<string, unknown> };

/** A stored flow restored and stepped, not yet written back. */
interface Stepped {
  id: FlowId;
  machine: AnyStateMachine;
  stored: StoredFlow;
  run: Run;
  binding: FlowBinding;
  now: number;
}

const DEFAULT_SETTLE_MS = 10_000;
/** Reviews take days (SPEC 3.10); a submission nobody decided in 60 days is left to support. */
const DEFAULT_PARKED_MS = 60 * 24 * 60 * 60 * 1000;

/**
 * The one place that creates actors. Every interaction restores the flow from its
 * envelope, lets time pass (TICK), applies the event, waits for the invoked effects to
 * settle and writes the snapshot back only if nobody else did meanwhile.
 */
export class XStateFlowEngine implements FlowEngine {
  private readonly flows: FlowRegistry;
  private readonly actors: FlowActors;
  private readonly privileges: PrivilegedWindow;
  private readonly records: FlowRecords;
  private readonly migrations: MigrationRegistry;
  private readonly settleTimeoutMs: number;
  private readonly parking: ParkedFlows;
  private readonly codec: SnapshotCodec;

  constructor(
    private readonly deps: EffectDependencies,
    options: EngineOptions = {},
  ) {
    this.flows = options.flows ?? flowRegistry;
    this.actors = new FlowActors(this.flows);
    this.privileges = new PrivilegedWindow(deps.scratch);
    this.records = new FlowRecords(deps, (machineId) => this.runs(machineId));
    this.migrations = options.migrations ?? snapshotMigrations();
    this.settleTimeoutMs = options.settleTimeoutMs ?? DEFAULT_SETTLE_MS;
    this.parking = new ParkedFlows(deps.scratch, options.parkedTtlMs ?? DEFAULT_PARKED_MS);
    this.codec = new SnapshotCodec(
      [
        ...Object.values(this.flows).map(({ machine }) => machine),
        ...childMachines.map(({ machine }) => machine),
      ],
      deps.config.flows,
    );
  }

  start(
    owner: FlowOwner,
    machineId: FlowId,
    input: StartInput,
    options: StartOptions = {},
    transient: Transient = {},
  ): Promise<EngineResult> {
    const registration = this.flows[machineId];
    if (registration === undefined) throw new RangeError(`unknown flow ${machineId}`);
    return this.available(async () => {
      const flowId = options.flowId ?? randomBytes(12).toString('base64url');
      assertValidFlowIds(owner, flowId);
      const blocked = await this.makeRoom(owner, flowId, options.replaceActive === true);
      if (blocked !== null) return blocked;
      const directory = readingEachAccountOnce(this.deps.directory, options.account);
      const account = options.account ?? (await accountOf(directory, owner, options.accountId));
      if (account === null && registration.needsAccount(input)) throw new NoAccountError(owner);
      if (account?.selfServiceLocked) return this.records.refusedLocked(owner, account.accountId, machineId);
      const binding: FlowBinding = {
        owner,
        flowId,
        accountId: account?.accountId ?? null,
        slackProfileEmail: input.slackProfileEmail ?? null,
        ...transient,
      };
      const now = this.deps.clock.now();
      const flowInput = await this.inputOf(registration, account, input, now);
      const actor = this.actors.start(machineId, this.interaction(binding, directory), flowInput);
      const run = await this.run(actor, []);
      if (run === null) return { status: 'unavailable' };
      await this.privileges.keep(binding.accountId, run.snapshot, now);
      return this.create(binding, machineId, registration.machine, run);
    });
  }

  send(
    owner: FlowOwner,
    flowId: string,
    event: FlowEventWithoutNow,
    { claim, ...transient }: Transient = {},
  ): Promise<EngineResult> {
    return this.available(() => this.interact(owner, flowId, event, transient, false, claim));
  }

  current(owner: FlowOwner, flowId: string): Promise<EngineResult> {
    return this.available(() => this.interact(owner, flowId, null, {}, false));
  }

  cancel(owner: FlowOwner, flowId: string, { claim }: InteractionOptions = {}): Promise<EngineResult> {
    return this.available(async () => {
      const result = await this.interact(owner, flowId, { type: 'CANCEL' }, {}, false, claim);
      if (result.status !== 'active') return result;
      // A flow that does not take CANCEL where it stands is ended all the same.
      await this.deps.flows.end(owner, flowId);
      const output: FlowOutput = { status: 'cancelled', reason: 'flow.cancelled' };
      return { status: 'finished', flowId, machineId: result.machineId, output, view: null };
    });
  }

  async active(owner: FlowOwner): Promise<{ flowId: string; machineId: FlowId } | null> {
    return this.records.open(owner);
  }

  passwordLinkUrl(owner: FlowOwner, flowId: string): string | null {
    const token = this.deps.passwordLinks.take(owner, flowId, this.deps.clock.now());
    return token === null ? null : `${this.deps.config.web.publicBaseUrl}/password/${token}`;
  }

  /** How the flow finished, while the store remembers it (a day); null for any other flow. */
  async ending(owner: FlowOwner, flowId: string): Promise<FlowEnding | null> {
    const read = await this.deps.flows.get(owner, flowId);
    return read.status === 'finished' ? endingOf(read) : null;
  }

  /** The end of the account's privileged window (0 when none is open). */
  privilegedUntil(accountId: string): Promise<number> {
    return this.privileges.until(accountId);
  }

  private async interact(
    owner: string,
    flowId: string,
    event: FlowEventWithoutNow | null,
    transient: Transient,
    retried: boolean,
    claim?: DeliveryClaim,
  ): Promise<EngineResult> {
    const [read, fresh] = await Promise.all([this.deps.flows.get(owner, flowId), claim?.() ?? true]);
    if (!fresh) return { status: 'already-handled', flowId };
    if (read.status !== 'found') return this.notOpen(owner, flowId, read, event, transient, retried);
    const stepped = await this.step(owner, flowId, read.envelope, event, transient, retried);
    if ('status' in stepped) return stepped;
    const written = await this.save(owner, flowId, read.envelope, stepped);
    // Lost to another write, or the flow finished or ended meanwhile: the retry reads which.
    if (written === 'lost') {
      return retried
        ? { status: 'already-handled', flowId }
        : this.interact(owner, flowId, event, transient, true);
    }
    if (written !== 'saved') return written;
    await this.afterSave(owner, flowId, stepped);
    return this.records.outcome(owner, flowId, stepped.id, stepped.run, true);
  }

  /** Room for a new flow: none while another is open, unless the caller asked to replace it. */
  private async makeRoom(owner: string, flowId: string, replace: boolean): Promise<EngineResult | null> {
    const open = await this.records.open(owner);
    if (open === null) return null;
    // This very flow is open already (a parallel first submit of one page): never replace it.
    if (!replace || open.flowId === flowId) {
      return { status: 'conflict', activeFlowId: open.flowId, activeMachineId: open.machineId };
    }
    await this.cancel(owner, open.flowId);
    return null;
  }

  /** The new flow's machine input, from the account, what the caller knows and the config. */
  private async inputOf(
    registration: FlowRegistration,
    account: Account | null,
    start: StartInput,
    now: number,
  ) {
    const privilegedUntil = account === null ? 0 : await this.privileges.until(account.accountId);
    return registration.input({ account, start, config: this.deps.config, now, privilegedUntil });
  }

  /** Stores the started flow, unless another one of its owner's was opened meanwhile. */
  private async create(
    binding: FlowBinding,
    machineId: FlowId,
    machine: AnyStateMachine,
    run: Run,
  ): Promise<EngineResult> {
    const { owner, flowId, accountId, slackProfileEmail } = binding;
    const stored: StoredFlow = { accountId, slackProfileEmail, state: run.persisted };
    const created = await this.deps.flows.create(owner, flowId, {
      machineId,
      version: versionOf(machine),
      snapshot: this.codec.encode(machineId, stored),
    });
    if (created.status === 'conflict') {
      const other = await this.records.open(owner);
      return {
        status: 'conflict',
        activeFlowId: created.activeFlowId,
        activeMachineId: other?.machineId ?? null,
      };
    }
    await this.records.note(owner, flowId, accountId, 'flow.started', { machine: machineId });
    return this.records.outcome(owner, flowId, machineId, run);
  }

  /** No open envelope to step: finished, gone (or parked), expired or unreadable. */
  private async notOpen(
    owner: string,
    flowId: string,
    read: Exclude<FlowReadResult, { status: 'found' }>,
    event: FlowEventWithoutNow | null,
    transient: Transient,
    retried: boolean,
  ): Promise<EngineResult> {
    switch (read.status) {
      // A late duplicate of the step that finished the flow, or the loser of that race: told
      // how it ended, so a page can show that instead of a dead link.
      case 'finished':
        return retried || event !== null
          ? { status: 'already-handled', flowId, ended: endingOf(read) }
          : { status: 'missing', flowId };
      case 'missing':
        if (!retried && (await this.parking.find(owner, flowId)) !== null) {
          return this.interactParked(owner, flowId, event, transient);
        }
        // On the retry, a flow that is gone was finished by the request that beat this one;
        // so was it when a late duplicate of a click or submission finds it finished.
        if (retried || (event !== null && (await this.records.finishedEarlier(owner, flowId))))
          return { status: 'already-handled', flowId };
        return { status: 'missing', flowId };
      case 'expired':
        return { status: 'expired', flowId };
      case 'corrupt':
        return this.records.ended(owner, flowId, null, 'corrupt', read.detail);
    }
  }

  /**
   * Writes the stepped flow back if nobody else did meanwhile ('lost' when somebody did);
   * nothing to write when nothing moved (a look at the flow, an event it ignores).
   */
  private async save(
    owner: string,
    flowId: string,
    envelope: FlowEnvelope,
    { id, machine, stored, run }: Stepped,
  ): Promise<'saved' | 'lost' | EngineResult> {
    const snapshot = this.codec.encode(id, { ...stored, state: run.persisted });
    const finished = run.snapshot.status === 'done';
    const unchanged =
      !finished &&
      envelope.machineId === id &&
      envelope.version === versionOf(machine) &&
      JSON.stringify(snapshot) === JSON.stringify(envelope.snapshot);
    if (unchanged) return this.records.outcome(owner, flowId, id, run, true);
    const written = await this.deps.flows.compareAndSet(owner, flowId, envelope.rev, {
      snapshot,
      machineId: id,
      version: versionOf(machine),
      ...(finished ? { outcome: { ...(run.snapshot.output as FlowOutput) } } : {}),
    });
    if (written.status === 'conflict' || written.status === 'missing') return 'lost';
    if (written.status === 'expired') return { status: 'expired', flowId };
    if (written.status === 'corrupt')
      return this.records.ended(owner, flowId, stored.accountId, 'corrupt', written.detail);
    return 'saved';
  }

  /** The privileged window follows the flow; a flow now waiting on someone else is parked. */
  private async afterSave(owner: string, flowId: string, stepped: Stepped) {
    const { stored, run, binding, now } = stepped;
    await this.privileges.keep(binding.accountId, run.snapshot, now, stored.state);
    if (run.snapshot.status !== 'active' || !hasFlowTag(run.snapshot, 'parked')) return;
    // Waiting days on someone else: out of the person's way and out of the idle timeout.
    await this.park(owner, flowId, stepped);
    await this.deps.flows.end(owner, flowId);
  }

  /** Keeps the stepped flow among the parked ones, as it now stands. */
  private park(owner: string, flowId: string, { id, machine, stored, run }: Stepped): Promise<void> {
    return this.parking.park(owner, flowId, {
      machineId: id,
      version: versionOf(machine),
      snapshot: this.codec.encode(id, { ...stored, state: run.persisted }),
    });
  }

  /** A parked flow: one interaction at a time (a second reviewer's click is already handled). */
  private async interactParked(
    owner: string,
    flowId: string,
    event: FlowEventWithoutNow | null,
    transient: Transient,
  ): Promise<EngineResult> {
    const release = await this.parking.lock(flowId, this.settleTimeoutMs);
    if (release === null) return { status: 'already-handled', flowId };
    try {
      const parked = await this.parking.find(owner, flowId);
      if (parked === null) return { status: 'already-handled', flowId };
      if (parked === 'corrupt') {
        await this.parking.unpark(flowId);
        return this.records.ended(owner, flowId, null, 'corrupt', 'unreadable parked flow');
      }
      const stepped = await this.step(owner, flowId, parked, event, transient, false);
      if ('status' in stepped) {
        if (stepped.status === 'ended') await this.parking.unpark(flowId);
        return stepped;
      }
      if (stepped.run.snapshot.status === 'done') await this.parking.unpark(flowId);
      else await this.park(owner, flowId, stepped);
      return this.records.outcome(owner, flowId, stepped.id, stepped.run);
    } finally {
      await release();
    }
  }

  /** Restores the stored flow, lets time pass, applies the event and waits for the effects. */
  private async step(
    owner: string,
    flowId: string,
    envelope: { machineId: string; version: number; snapshot: unknown },
    event: FlowEventWithoutNow | null,
    transient: Transient,
    retried: boolean,
  ): Promise<Stepped | EngineResult> {
    const stored = this.codec.decode(envelope.machineId, envelope.snapshot);
    const id = envelope.machineId;
    const machine = this.flows[id]?.machine;
    if (stored === null || machine === undefined || !this.runs(id)) {
      const detail = stored === null ? 'unreadable envelope' : 'unknown machine';
      return this.records.ended(owner, flowId, null, 'corrupt', detail);
    }
    const state = this.upToDate(envelope, machine, stored.state);
    if (state === null)
      return this.records.ended(owner, flowId, stored.accountId, 'version', `v${envelope.version}`);
    // Finished by a request that has not removed it yet: this one is a duplicate.
    if (state.status === 'done') return { status: 'already-handled', flowId } satisfies EngineResult;

    const binding: FlowBinding = {
      owner,
      flowId,
      accountId: stored.accountId,
      slackProfileEmail: stored.slackProfileEmail,
      ...transient,
    };
    const actor = this.restore(id, binding, state);
    if (actor === null)
      return this.records.ended(owner, flowId, stored.accountId, 'corrupt', 'snapshot does not restore');

    const now = this.deps.clock.now();
    const tick: EventObject = { type: 'TICK', now } as TickEvent;
    const stamped: EventObject | null = event === null ? null : stampEvent(event, now);
    if (retried && stamped !== null && !actor.getSnapshot().can(stamped)) {
      return { status: 'already-handled', flowId } satisfies EngineResult;
    }
    const run = await this.run(actor, stamped === null ? [tick] : [tick, stamped]);
    if (run === null) return { status: 'unavailable' } satisfies EngineResult;
    if (run.snapshot.status === 'error') {
      return this.records.ended(owner, flowId, stored.accountId, 'corrupt', 'machine error');
    }
    return { id, machine, stored, run, binding, now };
  }

  /** The snapshot for the current machine version: as stored, migrated, or null when it cannot be. */
  private upToDate(
    envelope: Pick<FlowEnvelope, 'version'>,
    machine: AnyStateMachine,
    state: Record<string, unknown>,
  ) {
    const version = versionOf(machine);
    if (envelope.version === version) return state;
    const migrated = this.migrations.migrate(machine.id, envelope.version, version, state as JsonValue);
    return typeof migrated === 'object' && migrated !== null && !Array.isArray(migrated) ? migrated : null;
  }

  /** Restores without starting; a snapshot XState cannot read, or one in error, is null. */
  private restore(id: FlowId, binding: FlowBinding, state: Record<string, unknown>) {
    try {
      const directory = readingEachAccountOnce(this.deps.directory);
      const actor = this.actors.restore(id, this.interaction(binding, directory), state);
      const snapshot = actor.getSnapshot();
      if (snapshot.status !== 'active' || Object.keys(snapshot.getMeta()).length === 0) return null;
      return actor;
    } catch {
      return null;
    }
  }

  /**
   * Starts the actor, sends the events and waits until no state is busy. Null when the
   * effects did not settle in time: nothing may be persisted then (an in-flight input may
   * hold a secret, and the write would race the effect).
   */
  private async run(actor: Actor<AnyStateMachine>, events: EventObject[]): Promise<Run | null> {
    const subscription = actor.subscribe({ error: () => undefined });
    try {
      actor.start();
      for (const event of events) actor.send(event);
      // An actor in error has settled too: the caller ends its flow.
      if (!(await settled(actor, (snapshot) => !this.unsettled(snapshot), this.settleTimeoutMs))) return null;
      const snapshot = actor.getSnapshot();
      return {
        snapshot,
        // Read while the actor runs: stopping it stops the children a view may delegate to.
        view: viewOf(snapshot),
        // Shares values with the stopped actor, which changes nothing any more; the codec and
        // the store write it as JSON.
        persisted: actor.getPersistedSnapshot() as unknown as Record<string, unknown>,
      };
    } finally {
      subscription.unsubscribe();
      actor.stop();
    }
  }

  private unsettled(snapshot: AnyMachineSnapshot): boolean {
    return snapshot.status === 'active' && (isBusy(snapshot) || holdsSecret(snapshot));
  }

  /**
   * The machine with this flow's effects, and each child machine it invokes with its own,
   * scoped by where the child sits so that two children's same-named steps stay apart.
   */
  private runs(machineId: string): machineId is FlowId {
    return Object.hasOwn(this.flows, machineId);
  }

  private interaction(binding: FlowBinding, directory: AccountDirectory): Interaction {
    return { deps: { ...this.deps, directory }, binding };
  }

  /** A store outage changes nothing and tells the person to try again shortly. */
  private async available(work: () => Promise<EngineResult>): Promise<EngineResult> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof TemporarilyUnavailableError)) throw error;
      this.deps.logger.warn({ err: error.message }, 'flow engine: store unavailable');
      return { status: 'unavailable' };
    }
  }
}

function endingOf(read: { outcome: JsonValue; finishedAt: number }): FlowEnding {
  return { output: read.outcome as unknown as FlowOutput, at: read.finishedAt };
}

function stampEvent(event: FlowEventWithoutNow, now: number): EventObject {
  return { ...event, now } as FlowEvent;
}

async function accountOf(
  directory: AccountDirectory,
  owner: string,
  accountId: string | undefined,
): Promise<Account | null> {
  if (accountId !== undefined) return directory.getById(accountId);
  const parsed = parseOwner(owner);
  if (parsed?.kind === 'account') return directory.getById(parsed.accountId);
  if (parsed?.kind === 'slack') return directory.getBySlackUser(parsed.teamId, parsed.userId);
  return null;
}
