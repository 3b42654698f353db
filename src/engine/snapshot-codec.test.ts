import { assign, createActor, sendTo, setup, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
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

const machineSnapshot = (machine: AnyStateMachine, snapshot: AnyMachineSnapshot) =>
  machine.getPersistedSnapshot(snapshot) as unknown as Record<string, unknown>;

const persisted = (machine: AnyStateMachine, snapshot: AnyMachineSnapshot) =>
  JSON.parse(JSON.stringify(machineSnapshot(machine, snapshot))) as Record<string, unknown>;

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
          // The engine encodes XState's persisted snapshot as it comes (undefined values and all).
          const raw = machineSnapshot(spec.machine, snapshot);
          expect(JSON.stringify(configured.encode(id, flowOf(raw)))).toBe(
            JSON.stringify(configured.encode(id, flow)),
          );
          states += 1;
        }
      }
      expect(states).toBeGreaterThan(0);
    });
  },
);

async function waitingForStepUpCode(): Promise<StoredFlow> {
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
  return flow;
}

/** `waitingForStepUpCode` as the codec of 5ad581a stored it: the code challenge kept its route. */
const BEFORE_INPUT_RULE = {
  a: '1001',
  v: 'stepUp',
  c: { idleDeadline: T0 + IDLE_MS, seenAt: T0, privilegedUntil: 0, methods: { sms: true, email: true } },
  k: {
    stepUp: {
      s: {
        v: 'challenge',
        c: { purpose: 'step-up', startedAt: T0 },
        k: {
          codeChallenge: {
            s: {
              v: 'enterCode',
              c: {
                channel: 'sms',
                target: { kind: 'current', field: 'securityMobile' },
                alternate: { channel: 'email', target: { kind: 'current', field: 'verificationEmail' } },
                exhaustedEnds: true,
                round: T0,
                code: {
                  channel: 'sms',
                  maskedTarget: '+86 138****5678',
                  expiresAt: T0 + 601_000,
                  resendAt: T0 + 61_000,
                  attemptsLeft: null,
                },
                sends: 1,
              },
            },
          },
        },
      },
    },
  },
};

describe('snapshot codec', () => {
  it('compacts a step-up child and its code challenge waiting for a code, and restores them exactly', async () => {
    const flow = await waitingForStepUpCode();
    const encoded = JSON.stringify(configured.encode(changeSecurityMobileMachine.id, flow));
    expect(encoded).not.toContain('privilegedWindowMs');
    expect(encoded).not.toContain('historyValue');
    // The challenge's route, purpose and round come from step-up's invoke input.
    for (const recomputed of ['"channel":"sms","target"', 'alternate', 'exhaustedEnds', '"round"', 'purpose'])
      expect(encoded).not.toContain(recomputed);
    expect(encoded.length).toBeLessThan(JSON.stringify(flow).length * 0.4);
    expect(roundTrip(configured, changeSecurityMobileMachine.id, flow)).toEqual(flow);
  });

  it('still reads a compact envelope written before children were compacted from their input', async () => {
    const flow = await waitingForStepUpCode();
    expect(configured.decode(changeSecurityMobileMachine.id, BEFORE_INPUT_RULE)).toEqual(flow);
  });

  it('leaves out of any nested child what its invoke input gives, whatever the machines are called', () => {
    // Input fields the codec's probes vary, so nothing here passes for a constant default.
    const grandchild = setup({ types: { input: {} as { channel: string; round: number } } }).createMachine({
      id: 'leaf',
      context: ({ input }) => ({ channel: input.channel, next: input.round + 1, taken: 0 }),
      on: { TAKE: { actions: assign({ taken: ({ context }) => context.taken + 1 }) } },
    });
    const child = setup({
      actors: { leaf: grandchild },
      types: { input: {} as { round: number } },
    }).createMachine({
      id: 'middle',
      context: ({ input }) => ({ round: input.round }),
      initial: 'inner',
      states: {
        inner: {
          invoke: {
            id: 'leaf',
            src: 'leaf',
            input: ({ context }) => ({ channel: 'fixed', round: context.round }),
          },
          on: { TAKE: { actions: sendTo('leaf', { type: 'TAKE' }) } },
        },
      },
    });
    const top = setup({ actors: { middle: child }, types: { input: {} as { round: number } } }).createMachine(
      {
        id: 'top',
        context: ({ input }) => ({ base: input.round }),
        invoke: { id: 'middle', src: 'middle', input: ({ context }) => ({ round: context.base * 3 }) },
        on: { TAKE: { actions: sendTo('middle', { type: 'TAKE' }) } },
      },
    );
    const codec = new SnapshotCodec([top, child, grandchild], { idleTimeoutMs: 1, privilegedWindowMs: 1 });
    const actor = createActor(top, { input: { round: 20 } }).start();
    actor.send({ type: 'TAKE' });
    const flow = flowOf(persisted(top, actor.getSnapshot()));
    actor.stop();
    const encoded = JSON.stringify(codec.encode('top', flow));
    expect(encoded).toContain('"taken":1');
    expect(encoded).toContain('"base":20');
    expect(encoded).not.toContain('round');
    expect(encoded).not.toContain('next');
    expect(encoded).not.toContain('channel');
    expect(roundTrip(codec, 'top', flow)).toEqual(flow);
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
