import { describe, expect, it } from 'vitest';
import { StateMachine, type AnyStateNode } from 'xstate';
import { childMachines, flowMachines } from './index.js';

function nodes(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states).flatMap((child) => [child, ...nodes(child)]);
}

const viewOfNode = (node: AnyStateNode): unknown => (node.meta as { view?: unknown } | undefined)?.view;

describe.each([...flowMachines, ...childMachines].map((entry) => [entry.machine.id, entry.machine] as const))(
  '%s',
  (_id, machine) => {
    const states = nodes(machine.root);

    it('has a numeric version', () => {
      expect(Number.isInteger(Number(machine.version))).toBe(true);
    });

    it('gives every state a view-model', () => {
      expect(states.filter((node) => typeof viewOfNode(node) !== 'string').map((node) => node.id)).toEqual(
        [],
      );
    });

    it('tags every state that waits on an invoked promise "busy", and only those', () => {
      for (const node of states) {
        const waitsOnEffect = node.invoke.some(
          (invoke) => !(machine.implementations.actors[String(invoke.src)] instanceof StateMachine),
        );
        expect({ id: node.id, busy: node.tags.includes('busy') }).toEqual({
          id: node.id,
          busy: waitsOnEffect,
        });
      }
    });

    it('handles both the result and the failure of every invoke', () => {
      for (const node of states) {
        for (const invoke of node.invoke) {
          expect(node.transitions.has(`xstate.done.actor.${invoke.id}`), `${node.id} onDone`).toBe(true);
          expect(node.transitions.has(`xstate.error.actor.${invoke.id}`), `${node.id} onError`).toBe(true);
        }
      }
    });

    it('uses no delayed transitions', () => {
      expect(states.filter((node) => node.after.length > 0).map((node) => node.id)).toEqual([]);
    });

    it('can be cancelled from every state a person waits in', () => {
      const waiting = states.filter((node) => node.type !== 'final' && !node.tags.includes('busy'));
      for (const node of waiting) {
        const handles = (candidate: AnyStateNode | undefined): boolean =>
          candidate !== undefined && (candidate.transitions.has('CANCEL') || handles(candidate.parent));
        expect(handles(node), node.id).toBe(true);
      }
    });

    it('ends in done, cancelled or failed', () => {
      const finals = states.filter((node) => node.type === 'final').map((node) => node.key);
      expect(finals.filter((key) => key !== 'done' && key !== 'verified').sort()).toEqual([
        'cancelled',
        'failed',
      ]);
    });
  },
);
