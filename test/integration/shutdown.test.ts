import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMain, waitForLine } from '../support/main-process.js';
import { freePort, startRedisServer, type RedisServerHandle } from '../support/redis-server.js';

const EXIT_WITHIN_MS = 10_000;

describe('the real process', () => {
  let server: RedisServerHandle;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it(`exits within ${EXIT_WITHIN_MS / 1000} s of SIGTERM while Redis is down`, async () => {
    const child = spawnMain({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      REDIS_URL: server.url,
      REDIS_KEY_PREFIX: `shutdown${process.pid}`,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
    });
    try {
      await waitForLine(child, 'Account Assistant is running', 20_000);
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
    }
  }, 60_000);
});
