import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCodeStore } from '../../src/adapters/redis/code-store.js';
import { createRedisClient, waitUntilReady, type RedisClient } from '../../src/adapters/redis/connection.js';
import { RedisDedupe } from '../../src/adapters/redis/dedupe.js';
import { RedisFlowSessionStore } from '../../src/adapters/redis/flow-session-store.js';
import { RedisJobQueue } from '../../src/adapters/redis/job-queue.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { RedisRateLimiter } from '../../src/adapters/redis/rate-limiter.js';
import type { RedisTopology } from '../../src/config/redis.js';
import { ManualClock, systemClock } from '../../src/core/clock.js';
import { TemporarilyUnavailableError } from '../../src/core/errors.js';
import { CodeService } from '../../src/services/codes.js';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.js';
import { clusterSettled, startRedisCluster, type RedisClusterHandle } from '../support/redis-topologies.js';
import { queueSettings } from '../notifications/harness.js';

/**
 * Redis Cluster nodes that die or hand a slot over, and an ACL'd node, under the stores.
 *
 * @module-tag topology
 */

const RULES = {
  ttlMs: 600_000,
  maxAttempts: 5,
  resendCooldownMs: 60_000,
  sendsPerHour: 5,
  failuresPerHour: 10,
  lockMs: 900_000,
};

/** What a test calls on a private cluster: its servers, a fail-fast client and stores on it. */
interface PrivateCluster {
  cluster: RedisClusterHandle;
  client: RedisClient;
  keys: RedisKeys;
  flows: RedisFlowSessionStore;
  dedupe: RedisDedupe;
  limiter: RedisRateLimiter;
}

/**
 * A cluster of the enclosing describe's own: killing a node of the run's shared one, or moving
 * its slots, would break other suites.
 */
function usePrivateCluster(): () => PrivateCluster {
  const clock = new ManualClock();
  let fixture: PrivateCluster | undefined;
  beforeAll(async () => {
    const cluster = await startRedisCluster();
    const client = createRedisClient(
      { kind: 'cluster', nodes: cluster.nodes, access: { username: null, password: null, tls: null } },
      'fail-fast',
    );
    await waitUntilReady(client);
    const keys = new RedisKeys(`pc${randomBytes(3).toString('hex')}`);
    fixture = {
      cluster,
      client,
      keys,
      flows: new RedisFlowSessionStore(client, keys, clock, { idleTimeoutMs: 60_000 }),
      dedupe: new RedisDedupe(client, keys, clock),
      limiter: new RedisRateLimiter(client, keys, clock),
    };
  });
  afterAll(async () => {
    fixture?.client.disconnect();
    await fixture?.cluster.dispose();
  });
  return () => {
    if (fixture === undefined) throw new Error('the private cluster did not start');
    return fixture;
  };
}

describe('Redis Cluster with a master down (CLUSTERDOWN and refused connections)', () => {
  const privateCluster = usePrivateCluster();

  /** Owners whose keys land on every master, so some hit the dead node. */
  const owners = Array.from({ length: 24 }, (_, index) => `slack:T1:U${index}`);

  const rule = { limit: 10_000, windowMs: 3_600_000, mode: 'fixed' } as const;
  const subject = (owner: string) => ({ tag: owner, name: 'probe' });

  it('fails every call on the lost slots closed within 3 s, never a wrong answer, and counts nothing twice', async () => {
    const { cluster, flows, dedupe, limiter } = privateCluster();
    for (const owner of owners)
      await flows.create(owner, 'f1', { machineId: 'm', version: 1, snapshot: { step: 0 } });
    const [victim] = cluster.servers;
    await victim?.kill();

    // Through the node-timeout window (refused connections) and after it (CLUSTERDOWN).
    const outcomes: string[] = [];
    const counted = new Map<string, number>();
    const until = performance.now() + 4_000;
    while (performance.now() < until) {
      await Promise.all(
        owners.map(async (owner) => {
          const started = performance.now();
          try {
            const read = await flows.get(owner, 'f1');
            expect(read).toMatchObject({ status: 'found' });
            await limiter.hit(subject(owner), rule);
            counted.set(owner, (counted.get(owner) ?? 0) + 1);
            outcomes.push('ok');
          } catch (error) {
            expect(error).toBeInstanceOf(TemporarilyUnavailableError);
            outcomes.push('unavailable');
          }
          expect(performance.now() - started).toBeLessThan(3_000);
        }),
      );
    }
    expect(outcomes).toContain('unavailable');
    expect(outcomes).toContain('ok');

    await victim?.start();
    await clusterSettled(cluster);
    const claims: boolean[] = [];
    const deadline = performance.now() + 15_000;
    for (const owner of owners) {
      for (;;) {
        try {
          claims.push(await dedupe.claim(`after-${owner}`, 60_000));
          break;
        } catch (error) {
          if (!(error instanceof TemporarilyUnavailableError) || performance.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
    expect(claims.every(Boolean)).toBe(true);
    // Each hit that answered is counted once; a refused one is not counted at all.
    for (const owner of owners) {
      const { remaining } = await limiter.peek(subject(owner), rule);
      expect(rule.limit - remaining).toBe(counted.get(owner) ?? 0);
    }
  }, 40_000);
});

describe('Redis Cluster while a slot moves to another master (ASK, TRYAGAIN, MOVED)', () => {
  const privateCluster = usePrivateCluster();

  const owner = 'slack:T1:U7';
  const init = { machineId: 'm', version: 1, snapshot: { step: 0 } };
  const rule = { limit: 10_000, windowMs: 3_600_000, mode: 'fixed' } as const;
  const subject = { tag: owner, name: 'moving' };

  it('answers every call right or "temporarily unavailable", applies nothing twice and loses nothing', async () => {
    const { cluster, client, keys, flows, limiter } = privateCluster();
    await flows.create(owner, 'f1', init);
    const slot = Number(await client.cluster('KEYSLOT', owner));
    const source = await cluster.masterPort(slot);
    const target = cluster.nodes.find((node) => node.port !== source)?.port ?? 0;
    const migration = await cluster.slotMigration(slot, target);

    let rev = 1;
    let hits = 0;
    /** Each call once; what it answered, where only the right answer or a refusal is allowed. */
    const calls = async () => {
      const seen: string[] = [];
      const call = async <T>(name: string, run: () => Promise<T>, right: (value: T) => void) => {
        const started = performance.now();
        try {
          right(await run());
          seen.push(`${name} ok`);
        } catch (error) {
          if (!(error instanceof TemporarilyUnavailableError)) throw error;
          seen.push(`${name} unavailable`);
        }
        expect(performance.now() - started).toBeLessThan(3_000);
      };
      await call(
        'read',
        () => flows.get(owner, 'f1'),
        (read) => expect(read).toMatchObject({ status: 'found', envelope: { rev } }),
      );
      await call(
        'active',
        () => flows.active(owner),
        (flowId) => expect(flowId).toBe('f1'),
      );
      await call(
        'create',
        () => flows.create(owner, 'f2', init),
        (created) => expect(created).toEqual({ status: 'conflict', activeFlowId: 'f1' }),
      );
      await call(
        'write',
        () => flows.compareAndSet(owner, 'f1', rev, { snapshot: { step: rev } }),
        (written) => {
          expect(written).toMatchObject({ status: 'ok', rev: rev + 1 });
          rev += 1;
        },
      );
      await call(
        'hit',
        () => limiter.hit(subject, rule),
        () => {
          hits += 1;
        },
      );
      return seen;
    };

    expect(await calls()).toEqual(['read ok', 'active ok', 'create ok', 'write ok', 'hit ok']);

    // The source still holds every key: a script whose new key is not there yet is split.
    await migration.begin();
    expect(await calls()).toEqual(['read ok', 'active ok', 'create unavailable', 'write ok', 'hit ok']);

    // The flow's record left, its pointer did not: reads of either follow ASK, a script over
    // both is split (TRYAGAIN). The pointer alone says the flow is open.
    await migration.move([keys.tagged(owner, 'flow', 'f1')]);
    expect(await calls()).toEqual([
      'read ok',
      'active ok',
      'create unavailable',
      'write unavailable',
      'hit ok',
    ]);

    // Both flow keys on the target: scripts over both follow ASK; one that adds a key is split.
    await migration.move([keys.tagged(owner, 'flow-active')]);
    expect(await calls()).toEqual(['read ok', 'active ok', 'create unavailable', 'write ok', 'hit ok']);

    // The slot belongs to the target everywhere: the client's map is stale and follows MOVED.
    await migration.finish();
    expect(await calls()).toEqual(['read ok', 'active ok', 'create ok', 'write ok', 'hit ok']);
    expect(await cluster.masterPort(slot)).toBe(target);

    // Every write that answered ok was applied once, every refused one not at all.
    expect(await flows.get(owner, 'f1')).toMatchObject({
      status: 'found',
      envelope: { rev, snapshot: { step: rev - 1 } },
    });
    const { remaining } = await limiter.peek(subject, rule);
    expect(rule.limit - remaining).toBe(hits);
  }, 40_000);
});

describe('ACL user and password, with keys limited to the prefix', () => {
  let server: RedisServerHandle;
  beforeAll(async () => {
    server = await startRedisServer({
      acl: { user: 'assistant', password: 'acl-pass-123', keyPattern: 'aclp:*' },
    });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const topology = (password: string): RedisTopology => ({
    kind: 'node',
    url: server.url,
    access: { username: 'assistant', password, tls: null },
  });

  it('runs the stores and the job queue as that user under the prefix', async () => {
    const client = createRedisClient(topology('acl-pass-123'), 'fail-fast');
    const queue = new RedisJobQueue({
      topology: topology('acl-pass-123'),
      keyPrefix: 'aclp',
      clock: systemClock,
      settings: queueSettings(),
    });
    try {
      await waitUntilReady(client);
      const codes = new CodeService(
        new RedisCodeStore(client, new RedisKeys('aclp'), new ManualClock(), RULES),
        Buffer.alloc(32, 1),
      );
      const issued = await codes.issue({
        accountId: '7',
        flowId: 'f',
        purpose: 'contact-email',
        target: 'a@example.com',
        channel: 'email',
      });
      expect(issued.ok).toBe(true);
      const ran: string[] = [];
      queue.register('note', async (job) => {
        ran.push(job.id);
      });
      await queue.start();
      await queue.enqueue({ id: 'acl-job', kind: 'note', payload: {} });
      await expect.poll(() => ran, { timeout: 5_000 }).toEqual(['acl-job']);
      // The user really is limited: a key outside the prefix is refused.
      await expect(client.set('elsewhere', '1')).rejects.toThrow(/NOPERM/);
    } finally {
      await queue.close();
      client.disconnect();
    }
  });

  it('a wrong password is an outage to the stores, never a silent pass', async () => {
    const client = createRedisClient(topology('wrong'), 'fail-fast');
    try {
      const dedupe = new RedisDedupe(client, new RedisKeys('aclp'), new ManualClock());
      await expect(dedupe.claim('x', 1_000)).rejects.toThrow(TemporarilyUnavailableError);
    } finally {
      client.disconnect();
    }
  });
});
