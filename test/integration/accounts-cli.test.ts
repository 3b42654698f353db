import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createApplication } from '../../src/app/application.js';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { messages } from '../../src/messages/catalog.js';
import { testConfig } from '../support/config.js';
import { SmtpCapture } from '../support/smtp-capture.js';
import { sharedRedisUrl, uniquePrefix } from '../support/redis.js';
import { freePort } from '../support/redis-server.js';
import { scratchDirectory } from '../support/scratch.js';

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

/**
 * A CSV in a folder of its own (also the run's document directory) and the environment the
 * command runs with: the run's Redis under a fresh prefix and, unless told not to, a payload key.
 */
function importable(csv: string, payloadKey = true): { path: string; env: Record<string, string> } {
  const folder = scratchDirectory('cli-');
  const path = join(folder, 'people.csv');
  writeFileSync(path, csv);
  const env: Record<string, string> = {
    REDIS_URL: sharedRedisUrl(),
    REDIS_KEY_PREFIX: uniquePrefix('cli'),
    DOCUMENT_STORE_DIR: folder,
  };
  if (payloadKey) env.JOB_PAYLOAD_KEY = randomBytes(32).toString('base64');
  return { path, env };
}

/** The command as an operator runs it: its own process, built from the environment like the app. */
describe('npm run accounts', () => {
  it('imports into the Redis of REDIS_URL and exports it back', async () => {
    const { path, env } = importable(
      'loginEmail,accountName,securityMobile\ncli.person@example.com,Cli Person,+86 138 0013 8000\n',
    );
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

  it("queues each new account's reset mail for the app, whose delivery workers send it", async () => {
    const { path, env } = importable('loginEmail,accountName\nqueued.person@example.com,Queued Person\n');
    const imported = await accounts(env, 'import', path);
    expect(imported.code).toBe(0);

    // Before, the command's own worker took the job into its development outbox, which ended with it.
    const smtp = await SmtpCapture.start();
    const app = await createApplication(
      testConfig({ ...env, SMTP_URL: smtp.url }),
      systemClock,
      createLogger('silent'),
    );
    try {
      const mail = await smtp.waitForMail('queued.person@example.com');
      expect(mail.text).toMatch(/\/reset\//);
    } finally {
      await app.stop();
      await smtp.close();
    }
  }, 60_000);

  it('refuses an import without JOB_PAYLOAD_KEY, naming it; a dry run needs none', async () => {
    const { path, env } = importable(
      'loginEmail,accountName\nkeyless.person@example.com,Keyless Person\n',
      false,
    );
    const refused = await accounts(env, 'import', path);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(m.payloadKeyMissing);
    const dryRun = await accounts(env, 'import', path, '--dry-run');
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout.trim()).toBe(m.planned(1, 0));
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
