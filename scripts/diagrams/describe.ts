import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

/**
 * A machine definition as plain data: the only input of the diagram renderers, read from the
 * machine's StateNode tree (never from running it), in definition order so output is stable.
 */
export interface StateDescription {
  /** Path segments below the root, e.g. ['enterCode']. */
  path: string[];
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  initial: boolean;
  tags: string[];
  view: string | null;
  invokes: Array<{ id: string; src: string }>;
  children: StateDescription[];
}

export interface TransitionDescription {
  /** Source path; [] for the machine's root (a transition that applies in every state). */
  source: string[];
  /** Target paths; a targetless transition stays where it is (drawn as a loop). */
  targets: string[][];
  event: string;
  label: string;
  guard: string | null;
}

export interface MachineDescription {
  id: string;
  version: string;
  states: StateDescription[];
  transitions: TransitionDescription[];
}

const DONE = 'xstate.done.actor.';
const ERROR = 'xstate.error.actor.';

export function eventLabel(eventType: string): string {
  if (eventType === '') return 'always';
  if (eventType.startsWith(DONE)) return `done ${eventType.slice(DONE.length)}`;
  if (eventType.startsWith(ERROR)) return `error ${eventType.slice(ERROR.length)}`;
  return eventType;
}

function guardName(transition: AnyTransitionDefinition): string | null {
  const guard: unknown = transition.guard;
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && typeof (guard as { type?: unknown }).type === 'string') {
    return (guard as { type: string }).type;
  }
  return 'inline guard';
}

/** The view-model name with its static fields, e.g. `enterCode (purpose step-up)`. */
function metaView(node: AnyStateNode): string | null {
  const { view, ...fields } = (node.meta ?? {}) as Record<string, unknown>;
  if (typeof view !== 'string') return null;
  const extra = Object.entries(fields).map(([key, value]) => `${key} ${String(value)}`);
  return extra.length === 0 ? view : `${view} (${extra.join(', ')})`;
}

function describeState(node: AnyStateNode): StateDescription {
  const parentInitial = node.parent?.config.initial;
  return {
    path: node.path,
    key: node.key,
    type: node.type,
    initial: parentInitial === node.key,
    tags: [...node.tags],
    view: metaView(node),
    invokes: node.invoke.map((invoke) => ({
      id: invoke.id,
      src: typeof invoke.src === 'string' ? invoke.src : invoke.id,
    })),
    children: Object.values(node.states).map(describeState),
  };
}

function describeTransition(transition: AnyTransitionDefinition, eventType: string): TransitionDescription {
  const guard = guardName(transition);
  const label = eventLabel(eventType);
  return {
    source: transition.source.path,
    targets: (transition.target ?? []).map((target) => target.path),
    event: eventType,
    label: guard === null ? label : `${label} [${guard}]`,
    guard,
  };
}

function transitionsOf(node: AnyStateNode): TransitionDescription[] {
  const own = [...node.transitions.entries()].flatMap(([eventType, list]) =>
    list.map((transition) => describeTransition(transition, eventType)),
  );
  const always = (node.always ?? []).map((transition) => describeTransition(transition, ''));
  return [...always, ...own, ...Object.values(node.states).flatMap(transitionsOf)];
}

export function describeMachine(machine: AnyStateMachine): MachineDescription {
  return {
    id: machine.id,
    version: machine.version ?? '0',
    states: Object.values(machine.root.states).map(describeState),
    transitions: transitionsOf(machine.root),
  };
}

export function flattenStates(states: StateDescription[]): StateDescription[] {
  return states.flatMap((state) => [state, ...flattenStates(state.children)]);
}
