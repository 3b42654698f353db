import { afterAll, describe, expect, it } from 'vitest';
import { measureModel, type CoverageFigures } from './testing/model.js';
import { modelSpecs } from './testing/specs.js';

const table: CoverageFigures[] = [];

describe.each(modelSpecs.map((spec) => [spec.machine.id, spec] as const))('model of %s', (_id, spec) => {
  it('replays every path and covers 100% of states and transitions', async () => {
    const { figures } = await measureModel(spec);
    table.push(figures);
    expect({ states: figures.uncoveredStates, transitions: figures.uncoveredTransitions }).toEqual({
      states: [],
      transitions: [],
    });
    expect(figures.statesCovered).toBe(figures.statesTotal);
    expect(figures.transitionsCovered).toBe(figures.transitionsTotal);
  });
});

afterAll(() => {
  console.log(
    '\n' +
      table
        .map((f) =>
          [
            f.machine.padEnd(26),
            `states ${f.statesCovered}/${f.statesTotal}`.padEnd(15),
            `transitions ${f.transitionsCovered}/${f.transitionsTotal}`.padEnd(20),
            `paths ${f.paths}`.padEnd(11),
            `snapshot ${f.persistedBytes} B`.padEnd(17),
            `envelope ${f.envelopeBytes} B`,
          ].join(' '),
        )
        .join('\n'),
  );
});
