import { describe, expect, it } from 'vitest';
import { flowMachines } from '../../machines/index.js';
import { flowIds, flowRegistry, isFlowId } from './flow-registry.js';

describe('flow registry', () => {
  it('registers every machine of the diagrams under its own id, and nothing else', () => {
    for (const id of flowIds) expect(flowRegistry[id].machine.id).toBe(id);
    expect([...flowIds].sort()).toEqual(flowMachines.map((entry) => entry.machine.id).sort());
  });

  it('tells flow ids from anything else a payload may carry', () => {
    expect(isFlowId('changeContactMobile')).toBe(true);
    for (const other of ['', 'toString', '__proto__', 'constructor', 'ChangeContactMobile', 'stepUp ']) {
      expect(isFlowId(other), other).toBe(false);
    }
  });
});
