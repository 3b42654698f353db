import { flattenStates, type MachineDescription, type StateDescription } from './describe.js';

const ANY = '(any state)';
const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const nodeName = (path: string[]): string => quote(path.length === 0 ? ANY : path.join('.'));

function nodeLine(state: StateDescription): string {
  const lines = [state.key];
  if (state.view !== null) lines.push(`view: ${state.view}`);
  for (const invoke of state.invokes) lines.push(`invokes ${invoke.src}`);
  if (state.tags.length > 0) lines.push(`[${state.tags.join(', ')}]`);
  const attributes = [`label=${quote(lines.join('\n'))}`];
  if (state.tags.includes('busy')) attributes.push('style="rounded,filled"', 'fillcolor="#fff3c4"');
  if (state.type === 'final')
    attributes.push('peripheries=2', 'style="rounded,filled"', 'fillcolor="#e8f4e8"');
  return `  ${nodeName(state.path)} [${attributes.join(', ')}];`;
}

/** Graphviz DOT for one machine; compound states become clusters. */
export function dotGraph(machine: MachineDescription): string {
  const clusters = (states: StateDescription[], indent: string): string[] =>
    states.flatMap((state) =>
      state.children.length === 0
        ? [indent + nodeLine(state).trimStart()]
        : [
            `${indent}subgraph ${quote(`cluster_${state.path.join('.')}`)} {`,
            `${indent}  label=${quote(state.key)};`,
            ...clusters(state.children, `${indent}  `),
            `${indent}}`,
          ],
    );
  const initials = flattenStates(machine.states).filter((state) => state.initial && state.path.length === 1);
  const hasRootTransitions = machine.transitions.some((transition) => transition.source.length === 0);
  // Parallel transitions share one edge with one label line each, so labels never overlap.
  const edgeLabels = new Map<string, string[]>();
  for (const transition of machine.transitions) {
    const targets = transition.targets.length === 0 ? [transition.source] : transition.targets;
    for (const target of targets) {
      const key = `${nodeName(transition.source)} -> ${nodeName(target)}`;
      edgeLabels.set(key, [...(edgeLabels.get(key) ?? []), transition.label]);
    }
  }
  const edges = [...edgeLabels.entries()].map(
    ([key, labels]) => `  ${key} [label=${quote(labels.join('\n'))}];`,
  );
  return [
    `digraph ${quote(machine.id)} {`,
    '  rankdir=TB;',
    `  label=${quote(`${machine.id} v${machine.version}`)};`,
    '  labelloc=t;',
    '  fontname="Helvetica";',
    '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
    '  "__start" [shape=point, width=0.15];',
    ...clusters(machine.states, '  '),
    ...(hasRootTransitions ? [`  ${nodeName([])} [shape=box, style=dashed];`] : []),
    ...initials.map((state) => `  "__start" -> ${nodeName(state.path)};`),
    ...edges,
    '}',
    '',
  ].join('\n');
}
