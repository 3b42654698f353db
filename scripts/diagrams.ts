import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instance } from '@viz-js/viz';
import { childMachines, flowMachines } from '../machines/index.js';
import { describeMachine, flattenStates } from './diagrams/describe.js';
import { dotGraph } from './diagrams/dot.js';
import { markdownPage } from './diagrams/mermaid.js';

/**
 * `npm run diagrams` writes docs/flows/ from the machine definitions: <id>.md (Mermaid and
 * tables), <id>.svg (DOT through Graphviz compiled to WebAssembly, offline) and README.md.
 * `npm run diagrams -- --check` writes nothing and exits 1 naming every stale file.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'docs', 'flows');

async function expectedFiles(): Promise<Map<string, string>> {
  const viz = await instance();
  const files = new Map<string, string>();
  const rows: string[] = [];
  for (const entry of [...flowMachines, ...childMachines]) {
    const description = describeMachine(entry.machine);
    files.set(`${description.id}.md`, markdownPage(description, entry.title, entry.spec));
    files.set(
      `${description.id}.svg`,
      viz.renderString(dotGraph(description), { format: 'svg', engine: 'dot' }),
    );
    rows.push(
      `| ${entry.spec} | ${entry.title} | [\`${description.id}\`](${description.id}.md) | ${description.version} | ` +
        `${flattenStates(description.states).length} | ${description.transitions.length} | [svg](${description.id}.svg) |`,
    );
  }
  files.set(
    'README.md',
    [
      '# Flow diagrams',
      '',
      'One diagram per flow machine in `machines/`, generated from the machine definitions by',
      '`npm run diagrams`; `npm run diagrams -- --check` (run in CI) fails when one is stale.',
      'Yellow states wait on an effect (`busy`); "any state" carries the transitions every state',
      'shares (cancel, idle timeout).',
      '',
      '| SPEC | flow | machine | version | states | transitions | picture |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
  return files;
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

async function check(files: Map<string, string>): Promise<string[]> {
  const stale: string[] = [];
  for (const [name, content] of files) {
    if ((await readOrNull(join(outDir, name))) !== content) stale.push(name);
  }
  const present = await readdir(outDir).catch(() => [] as string[]);
  for (const name of present) if (!files.has(name)) stale.push(`${name} (no machine produces it)`);
  return stale;
}

async function main(): Promise<void> {
  const files = await expectedFiles();
  const where = relative(process.cwd(), outDir) || '.';
  if (process.argv.includes('--check')) {
    const stale = await check(files);
    if (stale.length === 0) {
      console.log(`${where}: ${files.size} files up to date`);
      return;
    }
    for (const name of stale) console.error(`stale: ${join(where, name)}`);
    console.error('Run `npm run diagrams` and commit the result.');
    process.exitCode = 1;
    return;
  }
  await mkdir(outDir, { recursive: true });
  for (const [name, content] of files) await writeFile(join(outDir, name), content);
  console.log(`${where}: wrote ${files.size} files`);
}

await main();
