import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMain, waitForLine } from '../support/main-process.js';
import { freePort, startRedisServer, type RedisServerHandle } from '../support/redis-server.js';

const OUTAGE_MS = 8_000;

describe('the real process while Redis is down', () => {
  let server: RedisServerHandle;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('logs the job queue losing Redis once, not on every reconnect attempt', async () => {
    const child = spawnMain({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      REDIS_URL: server.url,
      REDIS_KEY_PREFIX: `outagelogs${process.pid}`,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      METRICS_PORT: '0',
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    try {
      await waitForLine(child, 'Account Assistant is running', 30_000);
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      const lines = output
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
