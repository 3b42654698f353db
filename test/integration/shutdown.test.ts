import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMain, waitForLine } from '../support/main-process.js';
import { freePort, startRedisServer, type RedisServerHandle } from '../support/redis-server.js';

const EXIT_WITHIN_MS = 10_000;
const OUTAGE_MS = 8_000;

describe('the real process', () => {
  let server: RedisServerHandle;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  /** `npm start` on the test's redis-server, once it says it runs; stdout collected. */
  async function startOnRedis(
    name: string,
  ): Promise<{ child: ReturnType<typeof spawnMain>; output: () => string }> {
    const child = spawnMain({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      REDIS_URL: server.url,
      REDIS_KEY_PREFIX: `${name}${process.pid}`,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      METRICS_PORT: '0',
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    await waitForLine(child, 'Account Assistant is running', 20_000);
    return { child, output: () => output };
  }

  it(`exits within ${EXIT_WITHIN_MS / 1000} s of SIGTERM while Redis is down`, async () => {
    const { child } = await startOnRedis('shutdown');
    try {
      await server.stop();
      const started = performance.now();
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await Promise.race([
        exited,
        new Promise((resolve) => setTimeout(() => resolve(['still running']), EXIT_WITHIN_MS + 5_000)),
      ])) as [number | string | null];
      const elapsed = performance.now() - started;
      expect(code).not.toBe('still running');
      expect(elapsed).toBeLessThan(EXIT_WITHIN_MS);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await server.start();
    }
  }, 60_000);

  it('logs the job queue losing Redis once, not on every reconnect attempt', async () => {
    const { child, output } = await startOnRedis('outagelogs');
    try {
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      const lines = output()
        .split('\n')
        .filter((line) => /"msg":"job (worker|queue connection) error"/.test(line));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length).toBeLessThanOrEqual(2);
      expect(lines.join('\n')).not.toContain('"stack"');
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      await server.start();
    }
  }, 60_000);
});
