import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startRedisServer } from '../support/redis-server.js';
import { clusterPorts } from '../support/redis-topologies.js';

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// A server the suite starts and forgets outlives the run on the CI machine (one per run did).
describe('a test Redis server', () => {
  it('is gone after dispose, although start() was called while it ran', async () => {
    const server = await startRedisServer();
    await server.start();
    expect(await accepts(server.port)).toBe(true);
    await server.dispose();
    expect(await accepts(server.port)).toBe(false);
  });
});

describe('ports for a test Redis Cluster', () => {
  it('skips ports whose cluster bus (10,000 higher) is past 65535, taken, or another node’s', async () => {
    const offered = [57_001, 30_009, 30_001, 30_001 + 10_000, 41_001, 30_002];
    const picked = await clusterPorts(
      3,
      async () => offered.shift() ?? 0,
      async (bus) => bus !== 30_009 + 10_000,
    );
    expect(picked).toEqual([30_001, 41_001, 30_002]);
  });
});

/** What a suite calls to start Sentinel sets, Clusters or TLS servers, or to use the shared cluster. */
const TOPOLOGY_CALLS =
  /\b(startRedisCluster|startRedisSentinel|connectSharedCluster|sharedClusterTopology|sharedClusterNodesVariable|makeTestCertificates)\(/;

describe('the topology suites', () => {
  it('are each tagged topology, so `--tagsFilter=!topology` leaves every one of them out', () => {
    const suites = readdirSync('test', { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => ({ file, text: readFileSync(`test/${file}`, 'utf8') }))
      .filter(({ text }) => TOPOLOGY_CALLS.test(text));
    expect(suites.length).toBeGreaterThanOrEqual(6);
    expect(suites.filter(({ text }) => !/@module-tag topology\b/.test(text)).map(({ file }) => file)).toEqual(
      [],
    );
  });
});
