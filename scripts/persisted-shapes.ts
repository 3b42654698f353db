import { readFile, writeFile } from 'node:fs/promises';
import { format } from 'prettier';
import {
  currentShapes,
  explain,
  verdicts,
  type PersistedShape,
} from '../machines/testing/persisted-shape.js';
import { modelSpecs } from '../machines/testing/specs.js';

/**
 * `npm run persisted-shapes` records what each machine's persisted snapshots hold in
 * machines/persisted-shapes.json, which machines/persisted-shapes.test.ts checks. It refuses,
 * writing nothing, while a machine changed that shape incompatibly at the same version: bump
 * the version (and every parent's, as the message says) first, or name the machine after
 * `--compatible` once you checked that every old snapshot still fits.
 */

const file = new URL('../machines/persisted-shapes.json', import.meta.url);

async function recorded(): Promise<Record<string, PersistedShape>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, PersistedShape>;
  } catch {
    return {};
  }
}

/** `--compatible a,b`: machines whose change a person checked old snapshots still fit. */
function declaredCompatible(): Set<string> {
  const at = process.argv.indexOf('--compatible');
  return new Set(at >= 0 ? (process.argv[at + 1] ?? '').split(',').filter(Boolean) : []);
}

const current = currentShapes(modelSpecs);
const bumps = verdicts(await recorded(), current, declaredCompatible()).filter(
  (verdict) => verdict.status === 'bump',
);
if (bumps.length > 0) {
  for (const verdict of bumps) console.error(explain(verdict));
  process.exitCode = 1;
} else {
  await writeFile(file, await format(JSON.stringify(current), { parser: 'json' }));
  console.log(`recorded ${Object.keys(current).length} machines in machines/persisted-shapes.json`);
}
