import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = dirname(SRC);
const MACHINES = join(REPO, 'machines');
const within = (folder: string) => (file: string) => file.startsWith(`${join(SRC, folder)}/`);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * Every module a file names: imports, type imports, re-exports, dynamic and bare imports and
 * `import('…')` types, as the compiler reads them (comments and strings are not imports).
 * Relative ones become absolute `.ts` paths; packages stay as named.
 */
function importsOf(file: string, text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map(({ fileName }) =>
      fileName.startsWith('.') ? resolve(dirname(file), fileName).replace(/\.js$/, '.ts') : fileName,
    );
}

const files = [...sourceFiles(SRC), ...sourceFiles(MACHINES)];
const graph = new Map(files.map((file) => [file, importsOf(file, readFileSync(file, 'utf8'))]));
const name = (path: string): string => (path.startsWith('/') ? relative(REPO, path) : path);

/** `file imports target` for each import of a file matching `from` that matches `forbidden`. */
function offenders(from: (file: string) => boolean, forbidden: (target: string) => boolean): string[] {
  return [...graph]
    .filter(([file]) => from(file))
    .flatMap(([file, targets]) =>
      targets.filter(forbidden).map((target) => `${name(file)} imports ${name(target)}`),
    );
}

/** Each import cycle once, as the chain of files that closes it (Tarjan's components). */
function importCycles(edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file) ?? 0);
    stack.push(file);
    for (const target of edges.get(file) ?? []) {
      if (!edges.has(target)) continue;
      if (!index.has(target)) visit(target);
      if (stack.includes(target)) low.set(file, Math.min(low.get(file) ?? 0, low.get(target) ?? 0));
    }
    if (low.get(file) !== index.get(file)) return;
    const component = stack.splice(stack.indexOf(file));
    if (component.length > 1 || (edges.get(file) ?? []).includes(file)) cycles.push(component);
  };
  for (const file of edges.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

describe('one composition root', () => {
  it('reads imports, type imports, re-exports, dynamic, bare and import() types, not comments', () => {
    const probe = [
      "import { A } from './adapters/memory/a.js';",
      "import type {\n  B,\n} from './adapters/redis/b.js';",
      "export { C } from './adapters/c.js';",
      "const d = await import('./adapters/d.js');",
      "import './adapters/e.js';",
      "type F = import('ioredis').Redis;",
      '// the LDAP adapter (see src/adapters/ldap/) is not imported by a comment',
    ].join('\n');
    expect(importsOf(join(SRC, 'probe.ts'), probe).map(name)).toEqual([
      'src/adapters/memory/a.ts',
      'src/adapters/redis/b.ts',
      'src/adapters/c.ts',
      'src/adapters/d.ts',
      'src/adapters/e.ts',
      'ioredis',
    ]);
  });

  it('lets only src/app/ import from src/adapters/', () => {
    expect(
      offenders((file) => !within('app')(file) && !within('adapters')(file), within('adapters')),
    ).toEqual([]);
  });

  it('keeps src/engine/ below the surfaces: it imports nothing from src/web/, src/slack/ or src/app/', () => {
    const above = (target: string) => ['web', 'slack', 'app'].some((folder) => within(folder)(target));
    expect(offenders(within('engine'), above)).toEqual([]);
  });
});

/** Every file a file reaches through its imports, packages included, and one path to each. */
function reachedFrom(file: string): Map<string, string[]> {
  const paths = new Map<string, string[]>([[file, [file]]]);
  const queue = [file];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const target of graph.get(next) ?? []) {
      if (paths.has(target)) continue;
      paths.set(target, [...(paths.get(next) ?? []), target]);
      if (graph.has(target)) queue.push(target);
    }
  }
  return paths;
}

describe('the surfaces see ports only', () => {
  const connection = (target: string) =>
    ['ioredis', 'ldapts'].some((pkg) => target === pkg || target.startsWith(`${pkg}/`)) ||
    within('adapters')(target) ||
    within('app')(target);

  it.each(['slack', 'web'])(
    'nothing under src/%s/ reaches ioredis, ldapts, src/adapters/ or src/app/, even through a type',
    (surface) => {
      const reached = [...graph.keys()]
        .filter(within(surface))
        .flatMap((file) => [...reachedFrom(file)].filter(([target]) => connection(target)))
        .map(([, path]) => path.map(name).join(' → '));
      expect(reached.slice(0, 5)).toEqual([]);
    },
  );
});

describe('import cycles', () => {
  it('finds a cycle, and each cycle once', () => {
    const edges = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', ['d']],
      ['e', ['a']],
    ]);
    expect(importCycles(edges).map((cycle) => [...cycle].sort())).toEqual([['d'], ['a', 'b', 'c']]);
  });

  it('has none in src/ and machines/, type imports included', () => {
    expect(importCycles(graph).map((cycle) => cycle.map(name).join(' → '))).toEqual([]);
  });
});
