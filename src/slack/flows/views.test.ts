import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { flowMachines } from '../../../machines/index.js';
import { slackFlows } from './index.js';

function viewNames(node: AnyStateNode): string[] {
  const own = (node.meta as { view?: string } | undefined)?.view;
  return [...(own ? [own] : []), ...Object.values(node.states).flatMap(viewNames)];
}

/** Shown by the flow message itself: a flow that is busy, handed over, or over. */
const COMMON = new Set(['working', 'delegated', 'finished']);

describe('Slack flow renderers', () => {
  it('renders every view a machine declares in exactly one flow file', () => {
    const declared = new Set(flowMachines.flatMap((entry) => viewNames(entry.machine.root)));
    for (const view of declared) {
      if (COMMON.has(view)) continue;
      const owners = slackFlows.filter((flow) => view in flow.views);
      expect({ view, owners: owners.length }).toEqual({ view, owners: 1 });
    }
  });
});
