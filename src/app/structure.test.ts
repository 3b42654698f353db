import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ADAPTERS = join(SRC, 'adapters');
const ROOT = join(SRC, 'app');

/** Every module specifier a file imports or re-exports, static or dynamic. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The composition root and the adapters themselves may; so may tests, which build what they test. */
function mayNotChooseAdapters(file: string): boolean {
  return !file.endsWith('.test.ts') && !file.startsWith(`${ROOT}/`) && !file.startsWith(`${ADAPTERS}/`);
}

function adapterSpecifiers(file: string, text: string): string[] {
  return [...text.matchAll(SPECIFIER)]
    .map((match) => match[1] ?? '')
    .filter((specifier) => specifier.startsWith('.'))
    .filter((specifier) => resolve(dirname(file), specifier).startsWith(`${ADAPTERS}/`));
}

describe('one composition root', () => {
  it('sees imports, type imports, re-exports, dynamic and bare imports of an adapter', () => {
    const probe = [
      "import { A } from './adapters/memory/a.js';",
      "import type {\n  B,\n} from './adapters/redis/b.js';",
      "export { C } from './adapters/c.js';",
      "const d = await import('./adapters/d.js');",
      "import './adapters/e.js';",
      "import { F } from './ports/f.js';",
      '// the LDAP adapter (see src/adapters/ldap/) is not imported by a comment',
    ].join('\n');
    expect(adapterSpecifiers(join(SRC, 'probe.ts'), probe)).toEqual([
      './adapters/memory/a.js',
      './adapters/redis/b.js',
      './adapters/c.js',
      './adapters/d.js',
      './adapters/e.js',
    ]);
  });

  it('lets only src/app/ import from src/adapters/', () => {
    const offenders = sourceFiles(SRC)
      .filter(mayNotChooseAdapters)
      .flatMap((file) =>
        adapterSpecifiers(file, readFileSync(file, 'utf8')).map(
          (specifier) => `${relative(SRC, file)} imports ${specifier}`,
        ),
      );
    expect(offenders).toEqual([]);
  });
});
