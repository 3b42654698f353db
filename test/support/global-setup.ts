import type { TestProject } from 'vitest/node';
import { startRedisServer, type RedisServerHandle } from './redis-server.js';
import { startRedisCluster, type RedisClusterHandle } from './redis-topologies.js';

let server: RedisServerHandle | undefined;
let cluster: RedisClusterHandle | undefined;

/**
 * One real redis-server and one 3-master Redis Cluster for the whole run, unless
 * REDIS_URL or REDIS_CLUSTER_NODES (host:port,…) name existing ones.
 */
export async function setup(project: TestProject): Promise<void> {
  const [url, nodes] = await Promise.all([nodeUrl(), clusterNodes()]);
  project.provide('redisUrl', url);
  project.provide('redisClusterNodes', nodes);
}

async function nodeUrl(): Promise<string> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  server = await startRedisServer();
  return server.url;
}

async function clusterNodes(): Promise<{ host: string; port: number }[]> {
  const external = process.env.REDIS_CLUSTER_NODES;
  if (external) {
    return external.split(',').map((entry) => {
      const [host = '', port = ''] = entry.trim().split(':');
      return { host, port: Number(port) };
    });
  }
  cluster = await startRedisCluster();
  return cluster.nodes;
}

export async function teardown(): Promise<void> {
  await Promise.all([server?.dispose(), cluster?.dispose()]);
}
