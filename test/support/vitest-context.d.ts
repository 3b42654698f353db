import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** The run's 3-master Redis Cluster. */
    redisClusterNodes: { host: string; port: number }[];
  }
}
