import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startup } from '../../src/messages/startup.js';
import { runMain, spawnMain, waitForLine, type MainRun } from '../support/main-process.js';
import { freePort } from '../support/redis-server.js';
import { scratchDirectory } from '../support/scratch.js';

const dir = scratchDirectory('startup-');

/** The workbench on the in-process store: nothing else is needed to start. */
const BASE = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'silent',
  HOST: '127.0.0.1',
  PORT: '0',
  METRICS_PORT: '0',
};

const LDAP = {
  DIRECTORY: 'ldap',
  LDAP_BASE_DN: 'ou=people,dc=example,dc=com',
  LDAP_BIND_DN: 'cn=assistant,dc=example,dc=com',
  LDAP_BIND_PASSWORD: 'Bind-secret-9',
};

const SLACK = {
  SLACK_BOT_TOKEN: 'xoxb-111-222-Token-secret',
  SLACK_TEAM_ID: 'T0123ABCD',
  SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
  SLACK_MODE: 'http',
};

const SOCKET = {
  SLACK_BOT_TOKEN: 'xoxb-111-222-Token-secret',
  SLACK_TEAM_ID: 'T0123ABCD',
  SLACK_APP_TOKEN: 'xapp-1-A0123-App-secret',
};

const SLACK_IDENTITY = { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0123ABCD' };

/** One line naming what to fix, exit code 1, no stack trace. */
function expectStopped(run: MainRun, line: string): void {
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(line);
  expect(run.stderr + run.stdout).not.toMatch(/^\s+at /m);
}

async function holdPort(): Promise<{ port: number; release: () => void }> {
  const port = await freePort();
  const server = createNetServer().listen(port, '127.0.0.1');
  await once(server, 'listening');
  return { port, release: () => server.close() };
}

/** Answers every Web API method the same, or each by its name. */
async function fakeSlack(
  answer: Record<string, unknown> | ((method: string) => Record<string, unknown>),
): Promise<{ url: string; server: Server }> {
  const server = createHttpServer((request, response) => {
    const method = request.url?.replace(/^\/api\//, '').split('?')[0] ?? '';
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(typeof answer === 'function' ? answer(method) : answer));
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}/api/`, server };
}

describe('start-up problems name the variable to fix', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['PORT', 'METRICS_PORT'])(
    '%s already in use',
    async (variable) => {
      const held = await holdPort();
      try {
        expectStopped(
          await runMain({ ...BASE, [variable]: String(held.port) }),
          startup.portInUse(variable, '127.0.0.1', held.port),
        );
      } finally {
        held.release();
      }
    },
    40_000,
  );

  it('HOST that is no address of this machine', async () => {
    expectStopped(
      await runMain({ ...BASE, HOST: '192.0.2.1' }),
      startup.cannotListen('HOST', '192.0.2.1', 'EADDRNOTAVAIL'),
    );
  }, 40_000);

  it('DOCUMENT_STORE_DIR that cannot be written', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const path = join(file, 'documents');
    expectStopped(
      await runMain({ ...BASE, DOCUMENT_STORE_DIR: path }),
      startup.documentDirectoryUnwritable(path, 'ENOTDIR'),
    );
  }, 40_000);

  it('LDAP_CA_FILE that cannot be read, without the bind password', async () => {
    const path = join(dir, 'missing-ca.pem');
    const run = await runMain({ ...BASE, ...LDAP, LDAP_URL: 'ldaps://127.0.0.1:1', LDAP_CA_FILE: path });
    expectStopped(run, startup.unreadablePem('LDAP_CA_FILE', path, 'ENOENT'));
    expect(run.stderr + run.stdout).not.toContain(LDAP.LDAP_BIND_PASSWORD);
  }, 40_000);

  const refused = { ok: false, error: 'invalid_auth' };
  it.each([
    ['a bot token Slack refuses', SLACK, () => refused, startup.slackTokenRefused('invalid_auth')],
    [
      'an app-level token Slack refuses in Socket Mode',
      SOCKET,
      (method: string) => (method === 'auth.test' ? SLACK_IDENTITY : refused),
      startup.slackAppTokenRefused('invalid_auth'),
    ],
  ])(
    '%s, without the token',
    async (_case, env, answer, line) => {
      const slack = await fakeSlack(answer);
      try {
        const run = await runMain({ ...BASE, ...env, SLACK_API_URL: slack.url });
        expectStopped(run, line);
        for (const token of [SLACK.SLACK_BOT_TOKEN, SOCKET.SLACK_APP_TOKEN])
          expect(run.stderr + run.stdout).not.toContain(token);
      } finally {
        slack.server.close();
      }
    },
    40_000,
  );

  it('a Socket Mode WebSocket that cannot be opened: stops within seconds instead of retrying for ever without listening', async () => {
    const closedPort = await freePort();
    const slack = await fakeSlack((method) =>
      method === 'auth.test' ? SLACK_IDENTITY : { ok: true, url: `ws://127.0.0.1:${closedPort}/link` },
    );
    try {
      const started = performance.now();
      const run = await runMain({ ...BASE, ...SOCKET, SLACK_API_URL: slack.url });
      expectStopped(run, startup.slackSocketUnreachable(15));
      expect(performance.now() - started).toBeLessThan(30_000);
    } finally {
      slack.server.close();
    }
  }, 60_000);

  it('a Slack API that does not answer: within seconds, not the client’s half hour', async () => {
    const port = await freePort();
    const started = performance.now();
    const run = await runMain({ ...BASE, ...SLACK, SLACK_API_URL: `http://127.0.0.1:${port}/api/` });
    expectStopped(run, `SLACK_API_URL: cannot reach Slack's Web API at http://127.0.0.1:${port}/api/`);
    expect(performance.now() - started).toBeLessThan(25_000);
  }, 40_000);

  it('an LDAP directory down at start: the workbench still starts, /healthz answers and /readyz says not ready', async () => {
    const port = await freePort();
    const child = spawnMain({
      ...BASE,
      ...LDAP,
      LOG_LEVEL: 'info',
      PORT: String(port),
      LDAP_URL: `ldap://127.0.0.1:${await freePort()}`,
      LDAP_TIMEOUT_MS: '500',
    });
    try {
      await waitForLine(child, 'Account Assistant is running', 30_000);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  }, 60_000);
});

describe('settings that nothing would read, or that are no address, stop start-up before anything starts', () => {
  it.each([
    [
      'REDIS_SENTINEL_PASSWORD without REDIS_SENTINELS',
      { REDIS_SENTINEL_PASSWORD: 'Sentinel-secret-9' },
      'REDIS_SENTINEL_PASSWORD: set without REDIS_SENTINELS, so nothing would read it; set REDIS_SENTINELS, or remove it',
    ],
    [
      'LDAP settings without DIRECTORY=ldap',
      { LDAP_URL: 'ldaps://ldap.example.com', LDAP_BIND_PASSWORD: 'Bind-secret-9' },
      'LDAP_BIND_PASSWORD, LDAP_URL: set without DIRECTORY=ldap, so nothing would read them; set DIRECTORY=ldap, or remove them',
    ],
    [
      'Slack settings without SLACK_BOT_TOKEN',
      { SLACK_APP_TOKEN: 'xapp-1-A0123-secret', SLACK_TEAM_ID: 'T0123ABCD' },
      'SLACK_APP_TOKEN, SLACK_TEAM_ID: set without SLACK_BOT_TOKEN, so nothing would read them; set SLACK_BOT_TOKEN, or remove them',
    ],
    [
      'a value from a .env saved with Windows line endings',
      { REDIS_URL: 'redis://127.0.0.1:6379\r' },
      'REDIS_URL: invalid; it holds a control character such as a carriage return (a file saved with Windows line endings?); remove it',
    ],
    [
      'a HOST written as a URL',
      { HOST: 'http://0.0.0.0:3000' },
      'HOST: invalid; expected an IP address or host name of this machine such as 0.0.0.0 or 127.0.0.1, without scheme, port or brackets',
    ],
    [
      'a METRICS_HOST with a port',
      { METRICS_HOST: '127.0.0.1:9464' },
      'METRICS_HOST: invalid; expected an IP address or host name of this machine such as 127.0.0.1, without scheme, port or brackets',
    ],
  ])(
    '%s',
    async (_case, env, line) => {
      const run = await runMain({ ...BASE, ...env });
      expectStopped(run, `Account Assistant cannot start; fix these settings:\n  ${line}\n`);
      for (const value of Object.values(env)) expect(run.stderr + run.stdout).not.toContain(value);
    },
    40_000,
  );

  it('the workbench still says it runs instead of Slack', async () => {
    const child = spawnMain({ ...BASE, LOG_LEVEL: 'info' });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    try {
      await waitForLine(child, 'Account Assistant is running', 30_000);
      expect(output).toContain(startup.withoutSlack(true));
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  }, 60_000);
});
