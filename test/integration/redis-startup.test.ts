import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStores } from '../../src/app/stores.js';
import { ManualClock } from '../../src/core/clock.js';
import { StartupError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { testConfig } from '../support/config.js';
import { freePort, startRedisServer, type RedisServerHandle } from '../support/redis-server.js';
import { runMain } from '../support/main-process.js';

describe('Redis at start-up', () => {
  it('an unreachable REDIS_URL names host:port and the variable, never the password, and exits 1', async () => {
    const port = await freePort();
    const result = await runMain({
      NODE_ENV: 'development',
      LOG_LEVEL: 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: `redis://admin:Sup3r-secret-pw@127.0.0.1:${port}/0`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
    expect(result.stderr).toContain('REDIS_URL');
    expect(result.stderr + result.stdout).not.toContain('Sup3r-secret-pw');
  }, 40_000);

  describe('eviction policy', () => {
    let server: RedisServerHandle;
    let admin: Redis;
    beforeAll(async () => {
      server = await startRedisServer();
      admin = new Redis(server.url);
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    });
    afterAll(async () => {
      await admin.quit();
      await server.dispose();
    });

    it('production refuses a Redis that may evict keys, naming the policy and the server', async () => {
      const config = { ...testConfig({ REDIS_URL: server.url }), env: 'production' as const };
      const refusal = buildStores(config, new ManualClock());
      await expect(refusal).rejects.toBeInstanceOf(StartupError);
      await expect(refusal).rejects.toThrow(
        `Redis at 127.0.0.1:${server.port} has maxmemory-policy allkeys-lru; set maxmemory-policy noeviction`,
      );
    });

    it('development starts and warns once; noeviction starts silently', async () => {
      const warnings: string[] = [];
      const logger = createLogger(
        'warn',
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            warnings.push((JSON.parse(chunk.toString('utf8')) as { msg: string }).msg);
            done();
          },
        }),
      );
      const stores = await buildStores(testConfig({ REDIS_URL: server.url }), new ManualClock(), logger);
      await stores.close();
      expect(warnings).toEqual([expect.stringContaining('maxmemory-policy allkeys-lru')]);

      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      const production = { ...testConfig({ REDIS_URL: server.url }), env: 'production' as const };
      const fine = await buildStores(production, new ManualClock(), logger);
      await fine.close();
      expect(warnings).toHaveLength(1);
    });
  });
});
