import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { environmentSchema } from '../../src/config/schema.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const documented = new Set([...readme.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((match) => match[1]));

describe('README configuration table', () => {
  it('documents every variable the schema reads, and nothing it does not', () => {
    const read = Object.keys(environmentSchema.shape).sort();
    expect([...documented].sort()).toEqual(read);
  });
});

describe('README production Redis guidance', () => {
  it('names noeviction, AOF, an ACL user and TLS', () => {
    const deploying = readme.slice(readme.indexOf('## Deploying'), readme.indexOf('## Web pages'));
    for (const setting of ['maxmemory-policy noeviction', 'appendonly yes', 'ACL user', 'rediss://'])
      expect(deploying).toContain(setting);
  });
});
