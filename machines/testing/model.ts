import {
  createActor,
  fromPromise,
  initialTransition,
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyStateNode,
  type AnyTransitionDefinition,
  type EventObject,
} from 'xstate';
import { getShortestPaths } from 'xstate/graph';

/**
 * Model-based testing for the flow machines: paths come from `xstate/graph` over the
 * machine's own definition, and each path is replayed against a real actor whose invoked
 * actors are fakes that resolve or reject exactly as the path says. Coverage is measured
 * on the replays (the transitions the running actor took), not on the traversal.
 */

export interface ModelSpec {
  machine: AnyStateMachine;
  /** Inputs to start from: guards on input (window open, no method, ...) need several. */
  inputs: unknown[];
  /**
   * Concrete events to try in a snapshot, by event type. Types the snapshot handles but the
   * map leaves out are tried bare (error events with a simulated error): the generated
   * done/error events of invoked actors are never dropped.
   */
  samples: (snapshot: AnyMachineSnapshot) => Partial<Record<string, EventObject[]>>;
  /** Context features later guards depend on, so paths that differ in them are kept apart. */
  abstraction?: (context: Record<string, unknown>) => unknown;
  /** A resting state the person typically leaves the flow in, for the persisted-size figure. */
  typicalState: string;
}

export interface ModelPath {
  input: unknown;
  description: string;
  events: EventObject[];
  states: AnyMachineSnapshot[];
}

export interface CoverageFigures {
  machine: string;
  statesCovered: number;
  statesTotal: number;
  transitionsCovered: number;
  transitionsTotal: number;
  paths: number;
  persistedBytes: number;
  envelopeBytes: number;
  uncoveredStates: string[];
  uncoveredTransitions: string[];
}

const DONE = 'xstate.done.actor.';
const ERROR = 'xstate.error.actor.';

const simulatedFailure = (): Error => new Error('simulated failure');

function ownEventTypes(snapshot: AnyMachineSnapshot): string[] {
  return [...new Set(snapshot._nodes.flatMap((node) => node.ownEvents))];
}

function eventKey(event: EventObject | undefined): string {
  if (event === undefined) return '';
  return JSON.stringify(event, (_key, value: unknown) => (value instanceof Error ? 'error' : value));
}

export function modelPaths(spec: ModelSpec, machine: AnyStateMachine = spec.machine): ModelPath[] {
  return spec.inputs.flatMap((input) => pathsFrom(spec, machine, input));
}

function pathsFrom(spec: ModelSpec, machine: AnyStateMachine, input: unknown): ModelPath[] {
  const abstraction = spec.abstraction ?? (() => null);
  const paths = getShortestPaths(machine, {
    input,
    limit: 50_000,
    // A finished machine takes no events; the traversal would otherwise walk on from it.
    stopWhen: (snapshot: AnyMachineSnapshot) => snapshot.status !== 'active',
    events: (snapshot: AnyMachineSnapshot) => {
      const samples = spec.samples(snapshot);
      return ownEventTypes(snapshot).flatMap(
        (type): EventObject[] =>
          samples[type] ?? [
            type.startsWith(ERROR) ? ({ type, error: simulatedFailure() } as EventObject) : { type },
          ],
      );
    },
    // The incoming event and the previous state are part of a vertex, so a shortest path
    // reaches every transition, not only every state.
    serializeState: (
      snapshot: AnyMachineSnapshot,
      event: EventObject | undefined,
      previous?: AnyMachineSnapshot,
    ) =>
      JSON.stringify([
        snapshot.value,
        abstraction(snapshot.context as Record<string, unknown>),
        eventKey(event),
        previous?.value ?? null,
      ]),
  });
  return paths.map((path) => {
    const events = path.steps.slice(1).map((step) => step.event);
    return {
      input,
      description: events.map((event) => event.type).join(' → ') || '(initial)',
      events,
      states: pureRun(machine, input, events),
    };
  });
}

/**
 * The snapshots the pure model goes through for these events. The traversal's own step
 * snapshots cannot serve: vertices that share a serialisation share one stored snapshot.
 */
function pureRun(machine: AnyStateMachine, input: unknown, events: EventObject[]): AnyMachineSnapshot[] {
  const [first] = initialTransition(machine, input);
  const states: AnyMachineSnapshot[] = [first];
  for (const event of events) {
    const previous = states[states.length - 1] ?? first;
    states.push(transition(machine, previous, event)[0]);
  }
  return states;
}

interface Deferred {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Fake actors that stay pending until the replay settles them. */
class FakeActors {
  private pending = new Map<string, Deferred>();

  reset(): void {
    this.pending.clear();
  }

  logic() {
    return fromPromise<unknown, unknown>(
      ({ self }) =>
        new Promise((resolve, reject) => {
          this.pending.set(self.id, { resolve, reject });
        }),
    );
  }

  settle(event: EventObject): void {
    const isDone = event.type.startsWith(DONE);
    const id = event.type.slice(isDone ? DONE.length : ERROR.length);
    const deferred = this.pending.get(id);
    if (deferred === undefined) throw new Error(`no invoked actor "${id}" is running to settle`);
    this.pending.delete(id);
    if (isDone) deferred.resolve((event as { output?: unknown }).output);
    else deferred.reject((event as { error?: unknown }).error);
  }
}

function withFakeActors(machine: AnyStateMachine): { machine: AnyStateMachine; fakes: FakeActors } {
  const fakes = new FakeActors();
  const names = Object.keys(machine.implementations.actors);
  const actors = Object.fromEntries(names.map((name) => [name, fakes.logic()]));
  return { machine: machine.provide({ actors }), fakes };
}

const settleTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function isSettleEvent(event: EventObject): boolean {
  return event.type.startsWith(DONE) || event.type.startsWith(ERROR);
}

function allStateNodes(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states).flatMap((child) => [child, ...allStateNodes(child)]);
}

function transitionKey(transition: AnyTransitionDefinition): string {
  const source = transition.source;
  const alwaysIndex = source.always?.indexOf(transition) ?? -1;
  if (alwaysIndex >= 0) return `${source.id} --always#${alwaysIndex}`;
  const index = source.transitions.get(transition.eventType)?.indexOf(transition) ?? -1;
  return `${source.id} --${transition.eventType}#${index}`;
}

function allTransitionKeys(machine: AnyStateMachine): string[] {
  return [machine.root, ...allStateNodes(machine.root)].flatMap((node) => [
    ...[...node.transitions.values()].flat().map(transitionKey),
    ...(node.always ?? []).map(transitionKey),
  ]);
}

function allStateIds(machine: AnyStateMachine): string[] {
  return allStateNodes(machine.root).map((node) => node.id);
}

interface ReplayRecord {
  states: Set<string>;
  transitions: Set<string>;
}

/**
 * Replays one path on a real actor: user events are sent, done/error events settle the
 * pending fake. After every step the actor must be where the model says, context included.
 */
async function replay(
  provided: { machine: AnyStateMachine; fakes: FakeActors },
  path: ModelPath,
  record: ReplayRecord,
): Promise<AnyMachineSnapshot> {
  provided.fakes.reset();
  const actor = createActor(provided.machine, {
    input: path.input,
    inspect: (inspection) => {
      // The root actor has no parent; its initial microsteps arrive before createActor returns.
      if (inspection.type !== '@xstate.microstep' || (inspection.actorRef as { _parent?: unknown })._parent)
        return;
      for (const transition of inspection._transitions) {
        record.transitions.add(transitionKey(transition));
        // A transient state (left at once by `always`) shows only as a transition's source.
        if (transition.source.parent) record.states.add(transition.source.id);
      }
    },
  });
  const observe = (snapshot: AnyMachineSnapshot, index: number) => {
    const expected = path.states[index];
    if (expected === undefined) throw new Error(`path ${path.description}: no expected state at ${index}`);
    const actual = { value: snapshot.value, context: snapshot.context as unknown };
    const wanted = { value: expected.value, context: expected.context as unknown };
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
      throw new Error(
        `path ${path.description}, step ${index}: expected ${JSON.stringify(wanted)}, got ${JSON.stringify(actual)}`,
      );
    }
    for (const node of snapshot._nodes) if (node.parent) record.states.add(node.id);
  };
  actor.start();
  await settleTurn();
  observe(actor.getSnapshot(), 0);
  for (const [index, event] of path.events.entries()) {
    if (isSettleEvent(event)) provided.fakes.settle(event);
    else actor.send(event);
    await settleTurn();
    observe(actor.getSnapshot(), index + 1);
  }
  const last = actor.getSnapshot();
  actor.stop();
  return last;
}

export async function measureModel(
  spec: ModelSpec,
): Promise<{ figures: CoverageFigures; paths: ModelPath[] }> {
  const provided = withFakeActors(spec.machine);
  const paths = modelPaths(spec, provided.machine);
  const record: ReplayRecord = { states: new Set(), transitions: new Set() };
  for (const path of paths) await replay(provided, path, record);

  const typical = paths
    .filter((path) => {
      const last = path.states[path.states.length - 1];
      return last !== undefined && last.matches(spec.typicalState);
    })
    .sort((a, b) => a.events.length - b.events.length)[0];
  if (typical === undefined) throw new Error(`no path reaches the typical state ${spec.typicalState}`);
  const persisted = await persistedAt(provided, typical);

  const states = allStateIds(provided.machine);
  const transitions = allTransitionKeys(provided.machine);
  return {
    paths,
    figures: {
      machine: spec.machine.id,
      statesTotal: states.length,
      statesCovered: states.filter((id) => record.states.has(id)).length,
      transitionsTotal: transitions.length,
      transitionsCovered: transitions.filter((key) => record.transitions.has(key)).length,
      paths: paths.length,
      persistedBytes: Buffer.byteLength(persisted),
      envelopeBytes: Buffer.byteLength(
        JSON.stringify({
          machineId: spec.machine.id,
          version: Number(spec.machine.version),
          rev: 1,
          snapshot: JSON.parse(persisted) as unknown,
        }),
      ),
      uncoveredStates: states.filter((id) => !record.states.has(id)),
      uncoveredTransitions: transitions.filter((key) => !record.transitions.has(key)),
    },
  };
}

async function persistedAt(
  provided: { machine: AnyStateMachine; fakes: FakeActors },
  path: ModelPath,
): Promise<string> {
  provided.fakes.reset();
  const actor = createActor(provided.machine, { input: path.input });
  actor.start();
  for (const event of path.events) {
    if (isSettleEvent(event)) provided.fakes.settle(event);
    else actor.send(event);
    await settleTurn();
  }
  const persisted = JSON.stringify(actor.getPersistedSnapshot());
  actor.stop();
  return persisted;
}
