import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/messages/catalog.js';
import { sharedRedisUrl, uniquePrefix } from '../support/redis.js';
import { freePort } from '../support/redis-server.js';

const run = promisify(execFile);
const m = messages.accountsFile;

async function accounts(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/accounts.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', BCRYPT_COST: '4', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The command as an operator runs it: its own process, built from the environment like the app. */
describe('npm run accounts', () => {
  it('imports into the Redis of REDIS_URL and exports it back', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'aa-cli-'));
    const path = join(folder, 'people.csv');
    writeFileSync(
      path,
      'loginEmail,accountName,securityMobile\ncli.person@example.com,Cli Person,+86 138 0013 8000\n',
    );
    const env = {
      REDIS_URL: sharedRedisUrl(),
      REDIS_KEY_PREFIX: uniquePrefix('cli'),
      DOCUMENT_STORE_DIR: folder,
    };
    const imported = await accounts(env, 'import', path);
    expect(imported.stdout.trim()).toBe(m.done(1, 0));
    expect(imported.code).toBe(0);
    const exported = await accounts(env, 'export');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(
      'loginEmail,accountName,industry,contactNumber,contactEmail,securityMobile,verificationEmail,fullName,companyName,region,state,city,address,postalCode\n' +
        'cli.person@example.com,Cli Person,,,,+8613800138000,,,,,,,,\n',
    );
  }, 60_000);

  it('says in one line which Redis it cannot reach, without a stack trace', async () => {
    const port = await freePort();
    const refused = await accounts({ REDIS_URL: `redis://127.0.0.1:${port}` }, 'export');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`REDIS_URL: cannot reach Redis at 127.0.0.1:${port}`);
    expect(refused.stderr).not.toMatch(/^\s+at /m);
    expect(refused.stdout).toBe('');
  }, 60_000);

  it('refuses without REDIS_URL, saying why', async () => {
    const refused = await accounts({}, 'export');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(m.noRedis);
  }, 60_000);
});
