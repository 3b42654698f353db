import { afterAll, beforeAll } from 'vitest';
import type { RedisClient } from '../../src/adapters/redis/connection.js';
import type { RedisTopology } from '../../src/config/redis.js';
import { connectSharedCluster, sharedClusterTopology } from '../support/redis.js';
import { describeRedisContracts } from './redis-contracts.js';

/**
 * Every port contract again, on a real 3-master Redis Cluster through the same fail-fast
 * client the app builds for REDIS_CLUSTER_NODES. A script or multi-key command whose keys
 * span two slots fails here with CROSSSLOT; one test prefix spreads its keys over all nodes.
 *
 * @module-tag topology
 */
let cluster: RedisClient;
let topology: RedisTopology;
beforeAll(async () => {
  cluster = await connectSharedCluster();
  topology = await sharedClusterTopology();
});
afterAll(async () => {
  await cluster.quit();
});

describeRedisContracts('redis cluster', { client: () => cluster, topology: () => topology });
