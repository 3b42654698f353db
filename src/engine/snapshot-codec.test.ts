import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { childMachines, flowMachines } from '../../machines/index.js';
import { changeSecurityMobileMachine } from '../../machines/change-security-mobile.js';
import { codeScript, started, withScript } from '../../machines/testing/drive.js';
import { modelPaths } from '../../machines/testing/model.js';
import { IDLE_MS, T0, WINDOW_MS } from '../../machines/testing/samples.js';
import { modelSpecs } from '../../machines/testing/specs.js';
import { SnapshotCodec, type StoredFlow } from './snapshot-codec.js';

const machines = [...flowMachines, ...childMachines].map((entry) => entry.machine);
const configured = new SnapshotCodec(machines, { idleTimeoutMs: IDLE_MS, privilegedWindowMs: WINDOW_MS });
const otherConfig = new SnapshotCodec(machines, { idleTimeoutMs: 7, privilegedWindowMs: 9 });

const persisted = (machine: AnyStateMachine, snapshot: AnyMachineSnapshot) =>
  JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot))) as Record<string, unknown>;

const flowOf = (state: Record<string, unknown>): StoredFlow => ({
  accountId: '1001',
  slackProfileEmail: null,
  state,
});

const roundTrip = (codec: SnapshotCodec, machineId: string, flow: StoredFlow) =>
  codec.decode(machineId, JSON.parse(JSON.stringify(codec.encode(machineId, flow))));

describe.each(modelSpecs.map((spec) => [spec.machine.id, spec] as const))(
  'snapshot codec: %s',
  (id, spec) => {
    it('gives back exactly what XState persisted in every state the model reaches, and stores less', () => {
      let states = 0;
      for (const path of modelPaths(spec)) {
        for (const snapshot of path.states) {
          if (snapshot.status !== 'active') continue;
          const flow = flowOf(persisted(spec.machine, snapshot));
          expect(roundTrip(configured, id, flow)).toEqual(flow);
          expect(roundTrip(otherConfig, id, flow)).toEqual(flow);
          const compact = JSON.stringify(configured.encode(id, flow)).length;
          expect(compact).toBeLessThan(JSON.stringify(flow).length);
          states += 1;
        }
      }
      expect(states).toBeGreaterThan(0);
    });
  },
);

describe('snapshot codec', () => {
  it('compacts a step-up child waiting for its code and restores it exactly', async () => {
    const machine = withScript(changeSecurityMobileMachine, codeScript());
    const actor = await started(machine, {
      now: T0,
      idleTimeoutMs: IDLE_MS,
      privilegedUntil: 0,
      privilegedWindowMs: WINDOW_MS,
      methods: { sms: true, email: true },
    });
    const flow = flowOf(JSON.parse(JSON.stringify(actor.getPersistedSnapshot())) as Record<string, unknown>);
    actor.stop();
    expect(JSON.stringify(flow)).toContain('"enterCode"');
    const encoded = JSON.stringify(configured.encode(changeSecurityMobileMachine.id, flow));
    expect(encoded).not.toContain('privilegedWindowMs');
    expect(encoded).not.toContain('historyValue');
    expect(encoded.length).toBeLessThan(JSON.stringify(flow).length * 0.7);
    expect(roundTrip(configured, changeSecurityMobileMachine.id, flow)).toEqual(flow);
  });

  it('still reads an envelope written before the compact form', () => {
    const legacy = {
      accountId: null,
      slackProfileEmail: 'a@example.com',
      state: { status: 'active', value: 'enterValue', historyValue: {}, context: { sends: 0 }, children: {} },
    };
    expect(configured.decode('changeContactMobile', legacy)).toEqual(legacy);
  });

  it('refuses what is neither form', () => {
    expect(configured.decode('changeContactMobile', { state: 3 })).toBeNull();
    expect(configured.decode('changeContactMobile', 'text')).toBeNull();
    expect(configured.decode('changeContactMobile', { v: 'x', c: {}, k: { stepUp: 'text' } })).toBeNull();
  });
});
