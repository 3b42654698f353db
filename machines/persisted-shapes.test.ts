import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StateMachine, type AnyStateMachine } from 'xstate';
import { codeChallengeMachine } from './shared/code-challenge.js';
import { stepUpMachine } from './step-up.js';
import type { ModelSpec } from './testing/model.js';
import {
  currentShapes,
  differenceOf,
  explain,
  verdicts,
  type PersistedShape,
} from './testing/persisted-shape.js';
import { modelSpecs } from './testing/specs.js';

const recorded = JSON.parse(
  readFileSync(new URL('./persisted-shapes.json', import.meta.url), 'utf8'),
) as Record<string, PersistedShape>;

type Config = AnyStateMachine['config'];

/** The code challenge with its config changed, as every machine that uses it would see it. */
function challengeChangedTo(change: (config: Config) => Config): ModelSpec[] {
  const challenge: AnyStateMachine = new StateMachine(
    change(codeChallengeMachine.config) as never,
    codeChallengeMachine.implementations as never,
  );
  const stepUp = stepUpMachine.provide({ actors: { codeChallenge: challenge } } as never);
  const replacements = new Map<unknown, AnyStateMachine>([
    [codeChallengeMachine, challenge],
    [stepUpMachine, stepUp],
  ]);
  return modelSpecs.map((spec) => {
    if (spec.machine === codeChallengeMachine) return { ...spec, machine: challenge };
    const actors = Object.entries(spec.machine.implementations.actors).flatMap(([name, logic]) => {
      const replacement = replacements.get(logic);
      return replacement ? [[name, replacement] as const] : [];
    });
    return { ...spec, machine: spec.machine.provide({ actors: Object.fromEntries(actors) } as never) };
  });
}

const bumpsOf = (specs: readonly ModelSpec[]) =>
  verdicts(recorded, currentShapes(specs)).filter((verdict) => verdict.status === 'bump');

/** Every machine whose snapshots hold a code challenge's: it invokes one, or step-up, which does. */
const HOLDING_A_CHALLENGE = [
  'changeContactEmail',
  'changeContactMobile',
  'changeLoginEmail',
  'changePassword',
  'changeSecurityMobile',
  'changeVerificationEmail',
  'linkSlackUser',
  'resetPassword',
  'stepUp',
  'unlockAccount',
];

describe('persisted snapshot shapes (machines/persisted-shapes.json)', () => {
  it('are recorded for every machine at its current version', () => {
    const problems = verdicts(recorded, currentShapes(modelSpecs)).filter(
      (verdict) => verdict.status !== 'recorded',
    );
    expect(problems.map(explain)).toEqual([]);
  });

  it('a code challenge whose context gains a key must bump its version, and so must every machine holding one', () => {
    const bumps = bumpsOf(
      challengeChangedTo((config) => ({
        ...config,
        context: (args: never) => ({ ...(config.context as (args: never) => object)(args), shownAt: 0 }),
      })),
    );
    expect(bumps.map((verdict) => verdict.machine)).toEqual(['codeChallenge', ...HOLDING_A_CHALLENGE].sort());
    const challenge = bumps.find((verdict) => verdict.machine === 'codeChallenge');
    expect(challenge && explain(challenge)).toBe(
      'machine codeChallenge changed what its persisted snapshots hold (context key shownAt is new): bump its ' +
        'version and add a migration in src/engine/migrations.ts (without one, its flows in flight end ' +
        'politely), then record it with `npm run persisted-shapes`; or, if every old snapshot still fits (a ' +
        'new key every reader takes as optional), record it with `npm run persisted-shapes -- --compatible ' +
        'codeChallenge`',
    );
  });

  it('a change declared compatible is recorded without a bump, and asks none of the machines holding it', () => {
    const grown = challengeChangedTo((config) => ({
      ...config,
      context: (args: never) => ({ ...(config.context as (args: never) => object)(args), shownAt: 0 }),
    }));
    const found = verdicts(recorded, currentShapes(grown), new Set(['codeChallenge']));
    expect(found.filter((verdict) => verdict.status === 'bump')).toEqual([]);
    expect(found.find((verdict) => verdict.machine === 'codeChallenge')).toEqual({
      machine: 'codeChallenge',
      status: 'record',
      why: ['context key shownAt is new, declared compatible'],
    });
  });

  it('a code challenge that bumped its version still needs every machine holding one to bump theirs', () => {
    const specs = challengeChangedTo((config) => ({ ...config, version: '99' }));
    const found = verdicts(recorded, currentShapes(specs));
    expect(found.find((verdict) => verdict.machine === 'codeChallenge')?.status).toBe('record');
    expect(bumpsOf(specs).map((verdict) => verdict.machine)).toEqual(HOLDING_A_CHALLENGE);
  });

  it('a state gone, a new context key or a kind of value no longer taken is a bump; the reverse is only recorded', () => {
    const before: PersistedShape = {
      version: 1,
      states: ['flow', 'flow.enterCode', 'flow.sending ⇢ sendCode:sendCode'],
      context: { code: ['null', 'object'], 'code.digits': ['string'], sends: ['number'] },
      children: {},
    };
    const after: PersistedShape = {
      version: 1,
      states: ['flow', 'flow.typeCode', 'flow.sending ⇢ sendCode:sendCode'],
      context: {
        code: ['object'],
        'code.digits': ['string'],
        sends: ['number', 'string'],
        shownAt: ['number'],
      },
      children: {},
    };
    expect(differenceOf(before, after)).toEqual({
      breaking: [
        'state flow.enterCode is gone',
        'context key code is no longer null',
        'context key shownAt is new',
      ],
      compatible: ['state flow.typeCode is new', 'context key sends may be string'],
    });
    expect(differenceOf(after, before)).toEqual({
      breaking: ['state flow.typeCode is gone', 'context key sends is no longer string'],
      compatible: [
        'state flow.enterCode is new',
        'context key code may be null',
        'context key shownAt is no longer used',
      ],
    });
  });
});
