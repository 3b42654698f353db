import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../src/messages/cli.js';
import { DEMO_PASSWORD } from '../../src/services/demo-accounts.js';
import { ReviewActions } from '../../src/slack/review/action-ids.js';
import { WORKBENCH_CHANNELS } from '../../src/workbench/people.js';
import type { PersonState } from '../../src/workbench/state.js';
import { startWorkbenchApp, type RunningWorkbench } from '../workbench/harness.js';
import { sharedRedisUrl, uniquePrefix } from '../support/redis.js';
import { freePort } from '../support/redis-server.js';
import { scratchDirectory } from '../support/scratch.js';

const dir = scratchDirectory('seed-');

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

function randomKeys(): Record<string, string> {
  return {
    CODE_HMAC_KEY: randomBytes(32).toString('base64'),
    DOCUMENT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    JOB_PAYLOAD_KEY: randomBytes(32).toString('base64'),
  };
}

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

  it('says in one line which Redis it cannot reach, without a stack trace', async () => {
    const port = await freePort();
    const run = await seed({ REDIS_URL: `redis://127.0.0.1:${port}`, ...randomKeys() });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`REDIS_URL: cannot reach Redis at 127.0.0.1:${port}`);
    expect(run.stderr).not.toMatch(/^\s+at |\.\./m);
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
    // The seed runs no Slack and no workbench: the app's notice about them would mislead here.
    expect(run.stderr).not.toMatch(/SLACK_BOT_TOKEN|workbench/);

    const again = await seed({ REDIS_KEY_PREFIX: prefix }, ['--write-keys', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(cli.seed.keysFileExists(file));

    const withKeys = await seed({ REDIS_KEY_PREFIX: prefix, ...written });
    expect(withKeys.code).toBe(0);
    expect(withKeys.stdout).toContain('exists');
    expect(withKeys.stdout).toContain(cli.seed.password(DEMO_PASSWORD));
  }, 90_000);
});

describe('npm run seed and the workbench on the seeded Redis', () => {
  const keys = randomKeys();

  it('refuses with DIRECTORY=ldap, where the accounts live in the directory', async () => {
    const run = await seed({
      REDIS_KEY_PREFIX: uniquePrefix(),
      ...keys,
      DIRECTORY: 'ldap',
      LDAP_URL: 'ldaps://ldap.example.com',
      LDAP_BASE_DN: 'ou=people,dc=example,dc=com',
      LDAP_BIND_DN: 'cn=assistant,dc=example,dc=com',
      LDAP_BIND_PASSWORD: 'not-a-real-one',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(cli.seed.notEmbedded);
    expect(run.stdout).toBe('');
  }, 60_000);

  /** The review card of Carmen's submission in #identity-review, as the reviewer sees it. */
  async function carmensCard(workbench: RunningWorkbench) {
    const response = await fetch(`${workbench.base}/workbench/api/state?person=U0REVIEW`);
    const { state } = (await response.json()) as { state: PersonState };
    const review = state.channels.find((entry) => entry.channel.id === WORKBENCH_CHANNELS.review.id);
    const card = review?.messages.find((message) =>
      JSON.stringify(message.blocks).includes('Ruiz Metalworks SL'),
    );
    const actions = (
      card?.blocks as { type: string; block_id: string; elements?: { action_id: string }[] }[]
    )?.find((block) => block.elements?.some((element) => element.action_id === ReviewActions.approve));
    return card && actions ? { channel: card.channel, ts: card.ts, blockId: actions.block_id } : null;
  }

  it("files Carmen's submission through the identity flow, so a reviewer decides it, also after a workbench restart", async () => {
    const environment = { REDIS_KEY_PREFIX: uniquePrefix(), ...keys };
    const run = await seed(environment);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/c\*+n@example\.com.*identity pending/);

    const first = await startWorkbenchApp({ environment });
    try {
      expect(await carmensCard(first)).not.toBeNull();
    } finally {
      await first.close();
    }

    // A kept Redis remembers the card the first run posted; this run's Slack does not hold it.
    const second = await startWorkbenchApp({ environment });
    try {
      const card = await carmensCard(second);
      expect(card).not.toBeNull();
      const click = await fetch(`${second.base}/workbench/api/click`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
        body: JSON.stringify({
          person: 'U0REVIEW',
          target: { kind: 'message', channel: card?.channel, ts: card?.ts },
          blockId: card?.blockId,
          actionId: ReviewActions.approve,
        }),
      });
      expect(click.status).toBe(200);
      await expect
        .poll(
          async () =>
            (await second.app.stores.directory.getByLoginEmail('carmen@example.com'))?.verification.status,
        )
        .toBe('verified');
    } finally {
      await second.close();
    }
  }, 120_000);
});
