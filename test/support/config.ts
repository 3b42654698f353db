import type { AppConfig } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/config.js';
import { sharedRedisUrl, uniquePrefix } from './redis.js';
import { scratchDirectory } from './scratch.js';

/**
 * A config as the app would read it from the environment, on the run's redis-server
 * (unless the test names a Sentinel set or a Cluster) under a fresh key prefix, with a low
 * bcrypt cost (DESIGN §5) unless the test sets one.
 */
export function testConfig(
  environment: Record<string, string> = {},
  options: { redis?: boolean } = {},
): AppConfig {
  const result = loadConfig({
    NODE_ENV: 'test',
    BCRYPT_COST: '4',
    // Many applications listen at once in a test run: let each metrics server take a free port.
    METRICS_PORT: '0',
    ...(options.redis === false ? {} : { REDIS_KEY_PREFIX: uniquePrefix() }),
    ...(options.redis === false || environment.REDIS_SENTINELS || environment.REDIS_CLUSTER_NODES
      ? {}
      : { REDIS_URL: sharedRedisUrl() }),
    // Account ids restart under every prefix: each config gets its own image directory.
    ...(environment.DOCUMENT_STORE_URL ? {} : { DOCUMENT_STORE_DIR: scratchDirectory('docs-') }),
    ...environment,
  });
  if (!result.ok) throw new Error(`test config is invalid:\n${result.problems.join('\n')}`);
  return result.config;
}
