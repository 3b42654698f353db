import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { environmentSchema } from '../../src/config/schema.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');
const envExample = readFileSync(`${root}.env.example`, 'utf8');

describe('what a newcomer reads on day one', () => {
  it('README links only inside the repository, and every linked file exists', () => {
    const targets = [...readme.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map((match) => match[1] ?? '');
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      expect(target, 'a link outside the repository').not.toMatch(/^(\.\.\/|\/|[a-z]+:)/);
      expect(existsSync(`${root}${target}`), `${target} exists`).toBe(true);
    }
  });

  it('.env.example lists every variable the schema reads, each with a comment, and nothing else', () => {
    const listed = [...envExample.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]);
    expect([...listed].sort()).toEqual(Object.keys(environmentSchema.shape).sort());
    const lines = envExample.split('\n');
    lines.forEach((line, index) => {
      if (/^#? ?[A-Z][A-Z0-9_]+=/.test(line))
        expect(lines[index - 1], `comment above ${line}`).toMatch(/^# \S/);
    });
  });

  it('README gives the two commands: install and run, and the CI command', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('.ci/run ');
  });
});
