import { describe, expect, it } from 'vitest';
import { fieldErrorKeys, flowMessageKeys } from './shared/messages.js';
import { modelPaths } from './testing/model.js';
import { modelSpecs } from './testing/specs.js';

/** Context values the catalog renders: they must be flow message keys. */
const MESSAGE_PATHS = new Set(['context.notice', 'context.reason']);
/**
 * Text no catalog renders: the last effect failure, kept for diagnosis and never shown (the
 * person is told through `notice` and `reason`), and the reason a reviewer typed.
 */
const FREE_TEXT_PATHS = new Set(['context.decision.reason']);

const flowKeys = new Set<string>(flowMessageKeys);
const errorKeys = new Set<string>(fieldErrorKeys);

const looksLikeSentence = (text: string): boolean => /\s/.test(text.trim()) && /[.!?]$/.test(text.trim());

/** Every place in a context that holds prose, or a message key the catalog does not have. */
function strayText(value: unknown, path: string): string[] {
  if (FREE_TEXT_PATHS.has(path)) return [];
  if (typeof value === 'string') {
    if (MESSAGE_PATHS.has(path) && !flowKeys.has(value))
      return [`${path}: "${value}" is no flow message key`];
    return looksLikeSentence(value) ? [`${path}: "${value}" is a sentence`] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => strayText(item, `${path}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const key = record.key;
  const ownProblem =
    typeof key === 'string' && !errorKeys.has(key) ? [`${path}.key: "${key}" is no field error key`] : [];
  return [
    ...ownProblem,
    ...Object.entries(record).flatMap(([name, item]) => strayText(item, `${path}.${name}`)),
  ];
}

describe.each(modelSpecs.map((spec) => [spec.machine.id, spec] as const))('%s', (_id, spec) => {
  it('holds catalog keys, never sentences, in every state of every model path', () => {
    const problems = new Set<string>();
    for (const path of modelPaths(spec)) {
      for (const [step, snapshot] of path.states.entries()) {
        const where = `${path.description} @${step}`;
        for (const problem of strayText(snapshot.context, 'context')) problems.add(`${where}: ${problem}`);
      }
    }
    expect([...problems]).toEqual([]);
  });
});
