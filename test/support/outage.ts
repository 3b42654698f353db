import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFailFastRedis, waitUntilReady } from '../../src/adapters/redis/connection.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { ManualClock } from '../../src/core/clock.js';
import { TemporarilyUnavailableError } from '../../src/core/errors.js';
import { startRedisServer, type RedisServerHandle } from './redis-server.js';
import { uniquePrefix } from './redis.js';

/** What an outage suite hands to `build`: a fail-fast connection to its private server. */
interface OutageContext {
  redis: Redis;
  keys: RedisKeys;
  clock: ManualClock;
}

/** One store call; it must be safe to run many times (use fresh keys or idempotent calls). */
interface OutageOperation<Stores> {
  name: string;
  run(stores: Stores): Promise<unknown>;
}

export interface OutageSuite<Stores> {
  /** Builds the Redis adapters under test on the suite's connection. */
  build(context: OutageContext): Stores;
  operations: OutageOperation<Stores>[];
  /** How fast a call must fail while the server is down. */
  failWithinMs?: number;
  /** How long the client may take to reconnect after the server is back. */
  recoverWithinMs?: number;
}

/**
 * Runs every operation against a PRIVATE redis-server (killing the shared one would break
 * other suites): it works, then with the server killed each call rejects quickly with
 * TemporarilyUnavailableError (no hang, no unhandled rejection), then after a restart
 * it works again once the client has reconnected.
 */
export function describeRedisOutage<Stores>(label: string, suite: OutageSuite<Stores>): void {
  const failWithinMs = suite.failWithinMs ?? 3_000;
  const recoverWithinMs = suite.recoverWithinMs ?? 15_000;

  describe(`Redis outage: ${label}`, () => {
    let server: RedisServerHandle;
    let redis: Redis;
    let stores: Stores;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);

    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      server = await startRedisServer();
      redis = createFailFastRedis(server.url);
      await waitUntilReady(redis);
      stores = suite.build({ redis, keys: new RedisKeys(uniquePrefix('outage')), clock: new ManualClock() });
    });

    afterAll(async () => {
      process.off('unhandledRejection', onUnhandled);
      redis?.disconnect();
      await server?.dispose();
    });

    describe('while the server is up', () => {
      it.each(suite.operations)('$name works', async (operation) => {
        await operation.run(stores);
      });
    });

    describe('while the server is down', () => {
      beforeAll(async () => {
        await server.stop();
      });

      it.each(suite.operations)('$name fails closed within the time limit', async (operation) => {
        await expectFailsClosed(operation.run(stores), failWithinMs);
      });

      it('every operation at once fails closed within the time limit', async () => {
        const calls = suite.operations.flatMap((operation) =>
          Array.from({ length: 5 }, () => expectFailsClosed(operation.run(stores), failWithinMs)),
        );
        await Promise.all(calls);
      });
    });

    describe('after the server is back', () => {
      beforeAll(async () => {
        await server.start();
      });

      it.each(suite.operations)('$name works again', async (operation) => {
        await untilRecovered(() => operation.run(stores), recoverWithinMs);
      });

      it('left no unhandled rejection behind', () => {
        expect(unhandled).toEqual([]);
      });
    });
  });
}

async function expectFailsClosed(call: Promise<unknown>, withinMs: number): Promise<void> {
  const started = performance.now();
  const outcome = await Promise.race([
    call.then(
      () => ({ kind: 'resolved' as const }),
      (error: unknown) => ({ kind: 'rejected' as const, error }),
    ),
    delay(withinMs + 1_000).then(() => ({ kind: 'hung' as const })),
  ]);
  const elapsed = performance.now() - started;
  expect(outcome.kind).toBe('rejected');
  if (outcome.kind === 'rejected') expect(outcome.error).toBeInstanceOf(TemporarilyUnavailableError);
  expect(elapsed).toBeLessThan(withinMs);
}

/** Retries while the store is still unavailable; any other failure is a real one. */
async function untilRecovered(call: () => Promise<unknown>, withinMs: number): Promise<void> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    try {
      await call();
      return;
    } catch (error) {
      if (!(error instanceof TemporarilyUnavailableError) || performance.now() > deadline) throw error;
      await delay(100);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
