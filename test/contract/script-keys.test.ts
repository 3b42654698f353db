import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFailFastRedis, waitUntilReady } from '../../src/adapters/redis/connection.js';
import { RedisFlowSessionStore } from '../../src/adapters/redis/flow-session-store.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { ManualClock } from '../../src/core/clock.js';
import { uniquePrefix } from '../support/redis.js';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.js';
import { ScriptKeyWatch } from '../support/script-keys.js';
import { CONTRACT_IDLE_MS } from './flow-session-store.contract.js';
import { describeRedisContracts } from './redis-contracts.js';

/**
 * Redis Cluster sends a script to the node of the keys it declares, and key ACLs are written
 * for declared keys: a script that builds a key name itself works on one node, or in one slot,
 * by luck. Every Redis adapter's contract runs here on a private server under MONITOR (other
 * suites' commands would mix in on the shared one), then every command a script ran must touch
 * only keys that script declared.
 */
let server: RedisServerHandle;
let watch: ScriptKeyWatch;
let client: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  watch = await ScriptKeyWatch.start(server.url);
  client = createFailFastRedis(server.url);
  await waitUntilReady(client);
});

afterAll(async () => {
  client?.disconnect();
  await watch?.stop();
  await server?.dispose();
});

describeRedisContracts('redis under MONITOR', { client: () => client });

describe('a flow pointer written before it carried the time', () => {
  it('is read by declaring the flow it names', async () => {
    const clock = new ManualClock();
    const keys = new RedisKeys(uniquePrefix('old'));
    const store = new RedisFlowSessionStore(client, keys, clock, { idleTimeoutMs: CONTRACT_IDLE_MS });
    const owner = 'slack:T1:U1';
    await store.create(owner, 'f1', { machineId: 'm', version: 1, snapshot: {} });
    await client.set(keys.tagged(owner, 'flow-active'), 'f1', 'PX', 60_000);
    expect(await store.active(owner)).toBe('f1');
    expect((await store.create(owner, 'f2', { machineId: 'm', version: 1, snapshot: {} })).status).toBe(
      'conflict',
    );
  });
});

describe('Lua scripts', () => {
  it('touch only the keys they declare, in every case above', async () => {
    expect(await watch.undeclared()).toEqual([]);
    expect(watch.scriptCommands).toBeGreaterThan(500);
  });
});
