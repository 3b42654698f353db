import type { AnyStateMachine, AnyStateNode } from 'xstate';

/**
 * The context a child machine started with, recomputed from its parent: the input the
 * parent's invoke gives from the parent's context, run through the child's context
 * function. Empty when that cannot be worked out (no such invoke in the parent's current
 * state, an input or context function that needs more than the parent's context).
 */
export function invokedContext(
  parent: AnyStateMachine,
  parentValue: unknown,
  parentContext: Record<string, unknown>,
  childId: string,
  child: AnyStateMachine,
): Record<string, unknown> {
  const invoke = activeNodes(parent.root, parentValue)
    .flatMap((node) => node.invoke)
    .find((definition) => definition.id === childId);
  const initial = child.config.context;
  if (invoke === undefined || typeof initial !== 'function') return {};
  try {
    const input: unknown =
      typeof invoke.input === 'function'
        ? invoke.input({ context: parentContext, event: { type: 'xstate.init' }, self: undefined } as never)
        : invoke.input;
    const context: unknown = initial({ input, self: undefined, spawn: undefined } as never);
    return typeof context === 'object' && context !== null ? (context as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The state nodes a persisted state value stands in, outermost first. */
function activeNodes(node: AnyStateNode, value: unknown): AnyStateNode[] {
  const inner =
    typeof value === 'string'
      ? { [value]: undefined }
      : typeof value === 'object' && value !== null
        ? value
        : {};
  return [
    node,
    ...Object.entries(inner).flatMap(([key, below]) => {
      const child = node.states[key];
      return child === undefined ? [] : activeNodes(child, below);
    }),
  ];
}
