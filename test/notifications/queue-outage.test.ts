import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeTopology } from '../../src/adapters/redis/connection.js';
import { RedisJobQueue } from '../../src/adapters/redis/job-queue.js';
import { systemClock } from '../../src/core/clock.js';
import { TemporarilyUnavailableError } from '../../src/core/errors.js';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.js';
import { eventually } from './eventually.js';
import { queueSettings } from './harness.js';

/** A private redis-server (the outage must not touch the run's shared one). */
describe('job queue while Redis is down', () => {
  let server: RedisServerHandle;
  let queue: RedisJobQueue;
  const ran: string[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    queue = new RedisJobQueue({
      topology: nodeTopology(server.url),
      keyPrefix: 'outage',
      clock: systemClock,
      settings: queueSettings(),
    });
    queue.register('note', async (job) => {
      ran.push(job.id);
    });
    await queue.start();
  });
  afterAll(async () => {
    await queue.close();
    await server.dispose();
  });

  it('refuses to enqueue at once instead of hanging, and works again once Redis is back', async () => {
    await queue.enqueue({ id: 'before', kind: 'note', payload: null });
    await eventually(() => ran.includes('before'));

    await server.stop();
    const started = performance.now();
    await expect(queue.enqueue({ id: 'during', kind: 'note', payload: null })).rejects.toBeInstanceOf(
      TemporarilyUnavailableError,
    );
    expect(performance.now() - started).toBeLessThan(2_500);

    await server.start();
    await eventually(async () => {
      try {
        await queue.enqueue({ id: 'after', kind: 'note', payload: null });
        return true;
      } catch {
        return false;
      }
    }, 10_000);
    await eventually(() => ran.includes('after'), 10_000);
    expect(ran).toEqual(['before', 'after']);
  });
});
