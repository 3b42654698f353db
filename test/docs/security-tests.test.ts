import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const mapping = readFileSync(new URL('docs/security-tests.md', root), 'utf8');

/** Every `file › describe › test` the mapping names, with a file's later `› name` entries. */
function references(): { file: string; names: string[] }[] {
  const found: { file: string; names: string[] }[] = [];
  let file: string | null = null;
  for (const [, code = ''] of mapping.matchAll(/`([^`]+)`/g)) {
    const parts = code.split('›').map((part) => part.trim());
    const [head = '', ...names] = parts;
    if (/^(src|test|machines)\/\S+\.ts$/.test(head)) file = head;
    else if (head !== '' || file === null) continue;
    found.push({ file: file, names: names.filter((name) => name !== '' && name !== '…') });
  }
  return found;
}

describe('docs/security-tests.md', () => {
  it('names only tests that exist, so a renamed or deleted test shows up here', () => {
    const missing: string[] = [];
    const found = references();
    for (const { file, names } of found) {
      const source = readFileSync(new URL(file, root), 'utf8');
      for (const name of names) {
        if (!source.includes(name) && !source.includes(name.replaceAll("'", "\\'")))
          missing.push(`${file} › ${name}`);
      }
    }
    expect(found.length).toBeGreaterThan(60);
    expect(missing).toEqual([]);
  });
});
