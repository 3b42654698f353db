import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { RedisEndpoint } from '../../src/config/redis.js';
import { startRedisServer, type RedisServerHandle } from './redis-server.js';
import { startRedisCluster, type RedisClusterHandle } from './redis-topologies.js';

let server: RedisServerHandle | undefined;
let cluster: Promise<RedisClusterHandle> | undefined;
let clusterService: Server | undefined;
let scratchDir: string | undefined;

/**
 * One real redis-server for the whole run (unless REDIS_URL names one), and a 3-master Redis
 * Cluster started only when the first test file asks for it (unless REDIS_CLUSTER_NODES names
 * one): most runs, a single unit test included, never pay its ~2 s.
 */
export async function setup(project: TestProject): Promise<void> {
  const [url, clusterUrl] = await Promise.all([nodeUrl(), startClusterService()]);
  project.provide('redisUrl', url);
  project.provide('redisClusterService', clusterUrl);
  // Test configs make their document directories in here: one per config, thousands a run,
  // which otherwise stayed in the system's temp directory after every run.
  scratchDir = mkdtempSync(join(tmpdir(), 'aa-run-'));
  project.provide('scratchDir', scratchDir);
}

async function nodeUrl(): Promise<string> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  server = await startRedisServer();
  return server.url;
}

/** Test workers live in other processes; they ask this loopback endpoint for the cluster. */
async function startClusterService(): Promise<string> {
  clusterService = createServer((_request, response) => {
    clusterNodes().then(
      (nodes) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(nodes)),
      (error: unknown) => response.writeHead(500).end(error instanceof Error ? error.message : String(error)),
    );
  });
  const listening = clusterService;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}/`;
}

async function clusterNodes(): Promise<RedisEndpoint[]> {
  const external = process.env.REDIS_CLUSTER_NODES;
  if (external) {
    return external.split(',').map((entry) => {
      const [host = '', port = ''] = entry.trim().split(':');
      return { host, port: Number(port) };
    });
  }
  cluster ??= startRedisCluster();
  return (await cluster).nodes;
}

export async function teardown(): Promise<void> {
  clusterService?.close();
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  await Promise.all([
    server?.dispose(),
    cluster?.then(
      (started) => started.dispose(),
      () => undefined,
    ),
  ]);
}
