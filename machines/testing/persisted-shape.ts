import { StateMachine, type AnyStateMachine, type AnyStateNode } from 'xstate';
import { versionOf } from '../index.js';
import { modelPaths, type ModelSpec } from './model.js';

/**
 * What a persisted snapshot of a machine relies on. The engine stores one version per flow,
 * the parent's: a snapshot holds the snapshots of the children it invokes (step-up, the code
 * challenge) with no version of their own, so a child that changes must take every parent's
 * version with it. Recorded in machines/persisted-shapes.json.
 */
export interface PersistedShape {
  version: number;
  /** Every state id; a state that invokes adds `state ⇢ invokeId:src`. */
  states: string[];
  /** Every context key path reached on the model's paths, with the JSON kinds of its values. */
  context: Record<string, string[]>;
  /** The version of each child machine a state invokes, by machine id. */
  children: Record<string, number>;
}

function persistedShape(spec: ModelSpec): PersistedShape {
  const machine = spec.machine;
  const states: string[] = [];
  const children: Record<string, number> = {};
  for (const node of allNodes(machine.root)) {
    states.push(node.id);
    for (const invoke of node.invoke) {
      states.push(`${node.id} ⇢ ${invoke.id}:${String(invoke.src)}`);
      const child = childMachine(machine, invoke.src);
      if (child) children[child.id] = versionOf(child);
    }
  }
  const kinds = new Map<string, Set<string>>();
  for (const path of modelPaths(spec))
    for (const snapshot of path.states) collectKinds(snapshot.context, '', kinds);
  const context = Object.fromEntries(
    [...kinds.keys()].sort().map((key) => [key, [...(kinds.get(key) ?? [])].sort()]),
  );
  return { version: versionOf(machine), states: states.sort(), context, children: sortedKeys(children) };
}

function allNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap(allNodes)];
}

function childMachine(machine: AnyStateMachine, src: unknown): AnyStateMachine | null {
  const logic = typeof src === 'string' ? machine.implementations.actors[src] : src;
  return logic instanceof StateMachine ? logic : null;
}

/** Objects are walked into (a new nested key matters as much as a new top-level one); arrays are one kind. */
function collectKinds(value: unknown, path: string, into: Map<string, Set<string>>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value))
      collectKinds(inner, path ? `${path}.${key}` : key, into);
    if (path === '') return;
  }
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  const kinds = into.get(path) ?? new Set<string>();
  kinds.add(kind);
  into.set(path, kinds);
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** How a machine's current shape differs from its recorded one. */
export interface ShapeDifference {
  /** A snapshot persisted under the recorded shape may not fit the current machine. */
  breaking: string[];
  /** Old snapshots still fit (a state or a kind added, a key no longer used). */
  compatible: string[];
}

export function differenceOf(recorded: PersistedShape, current: PersistedShape): ShapeDifference {
  const breaking: string[] = [];
  const compatible: string[] = [];
  const currentStates = new Set(current.states);
  const recordedStates = new Set(recorded.states);
  for (const state of recorded.states) if (!currentStates.has(state)) breaking.push(`state ${state} is gone`);
  for (const state of current.states)
    if (!recordedStates.has(state)) compatible.push(`state ${state} is new`);
  for (const [key, kinds] of Object.entries(current.context)) {
    const before = recorded.context[key];
    if (before === undefined) {
      breaking.push(`context key ${key} is new`);
      continue;
    }
    for (const kind of before)
      if (!kinds.includes(kind)) breaking.push(`context key ${key} is no longer ${kind}`);
    for (const kind of kinds)
      if (!before.includes(kind)) compatible.push(`context key ${key} may be ${kind}`);
  }
  for (const key of Object.keys(recorded.context))
    if (current.context[key] === undefined) compatible.push(`context key ${key} is no longer used`);
  const childIds = new Set([...Object.keys(recorded.children), ...Object.keys(current.children)]);
  for (const child of childIds) {
    if (recorded.children[child] !== current.children[child])
      breaking.push(
        `child ${child} is version ${current.children[child] ?? 'none'} (was ${recorded.children[child] ?? 'none'})`,
      );
  }
  return { breaking, compatible };
}

export type Verdict =
  | { machine: string; status: 'recorded' }
  | { machine: string; status: 'bump'; why: string[] }
  | { machine: string; status: 'record'; why: string[] };

/**
 * Each machine against its recorded shape. A machine whose persisted snapshots may no longer
 * fit must bump its version, and so must every machine that invokes it (transitively): their
 * snapshots hold its snapshot. `compatible` names machines a person has checked: every old
 * snapshot still fits (say, a new key that every reader takes as optional), so their change
 * is recorded without a bump. The shapes come from sampling and cannot tell that themselves.
 */
export function verdicts(
  recorded: Record<string, PersistedShape>,
  current: Record<string, PersistedShape>,
  compatible: ReadonlySet<string> = new Set(),
): Verdict[] {
  const found = new Map<string, Verdict>();
  const verdictOf = (machine: string): Verdict => {
    const known = found.get(machine);
    if (known) return known;
    const shape = current[machine];
    const before = recorded[machine];
    let verdict: Verdict;
    if (shape === undefined) verdict = { machine, status: 'record', why: ['it is no longer a machine'] };
    else if (before === undefined) verdict = { machine, status: 'record', why: ['it has no recorded shape'] };
    else {
      const difference = differenceOf(before, shape);
      const childBumps = Object.keys(shape.children)
        .filter((child) => verdictOf(child).status === 'bump')
        .map((child) => `it invokes ${child}, which must bump its version`);
      const breaking = [...difference.breaking, ...childBumps];
      if (shape.version === before.version && breaking.length > 0)
        verdict = compatible.has(machine)
          ? { machine, status: 'record', why: breaking.map((why) => `${why}, declared compatible`) }
          : { machine, status: 'bump', why: breaking };
      else if (shape.version !== before.version)
        verdict = {
          machine,
          status: 'record',
          why: [`it is version ${shape.version} now (recorded ${before.version})`],
        };
      else if (difference.compatible.length > 0)
        verdict = { machine, status: 'record', why: difference.compatible };
      else verdict = { machine, status: 'recorded' };
    }
    found.set(machine, verdict);
    return verdict;
  };
  return [...new Set([...Object.keys(recorded), ...Object.keys(current)])].sort().map(verdictOf);
}

export function currentShapes(specs: readonly ModelSpec[]): Record<string, PersistedShape> {
  return Object.fromEntries(
    specs
      .map((spec) => [spec.machine.id, persistedShape(spec)] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

const RECORD = '`npm run persisted-shapes`';

/** What to do about a verdict, in one line. */
export function explain(verdict: Verdict): string {
  if (verdict.status === 'recorded') return `${verdict.machine}: recorded`;
  if (verdict.status === 'record')
    return `${verdict.machine}: ${verdict.why.join('; ')}: record it with ${RECORD}`;
  return (
    `machine ${verdict.machine} changed what its persisted snapshots hold (${verdict.why.join('; ')}): ` +
    `bump its version and add a migration in src/engine/migrations.ts (without one, its flows in flight ` +
    `end politely), then record it with ${RECORD}; or, if every old snapshot still fits (a new key ` +
    `every reader takes as optional), record it with ${RECORD.slice(0, -1)} -- --compatible ${verdict.machine}\``
  );
}
