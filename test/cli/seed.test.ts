import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../src/messages/cli.js';
import { sharedRedisUrl, uniquePrefix } from '../support/redis.js';

const dir = mkdtempSync(join(tmpdir(), 'aa-seed-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run seed` as a person runs it: a separate process with only the environment given. */
function seed(env: Record<string, string>, args: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/seed.ts', ...args],
      {
        env: { PATH: process.env.PATH ?? '', BCRYPT_COST: '4', REDIS_URL: sharedRedisUrl(), ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const KEY = /^[A-Za-z0-9+/]{43}=$/;

describe('npm run seed and the keys', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses without the three keys, naming them and both ways out, and seeds nothing', async () => {
    const run = await seed({ REDIS_KEY_PREFIX: uniquePrefix() });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      cli.seed.keysMissing(['CODE_HMAC_KEY', 'DOCUMENT_ENCRYPTION_KEY', 'JOB_PAYLOAD_KEY'], '--write-keys'),
    );
    expect(run.stdout).toBe('');
  }, 60_000);

  it('generates the missing keys into a new file it names, seeds with them, and never overwrites it', async () => {
    const file = join(dir, 'keys.env');
    const prefix = uniquePrefix();
    const run = await seed({ REDIS_KEY_PREFIX: prefix }, ['--write-keys', file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(file);
    const written = Object.fromEntries(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
    expect(Object.keys(written).sort()).toEqual([
      'CODE_HMAC_KEY',
      'DOCUMENT_ENCRYPTION_KEY',
      'JOB_PAYLOAD_KEY',
    ]);
    for (const value of Object.values(written)) expect(value).toMatch(KEY);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(run.stdout).toContain('created');

    const again = await seed({ REDIS_KEY_PREFIX: prefix }, ['--write-keys', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(cli.seed.keysFileExists(file));

    const withKeys = await seed({ REDIS_KEY_PREFIX: prefix, ...written });
    expect(withKeys.code).toBe(0);
    expect(withKeys.stdout).toContain('exists');
  }, 90_000);
});
