import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** Where a test file asks for the run's 3-master Redis Cluster, started on the first ask. */
    redisClusterService: string;
    /** The run's scratch directory, removed when the run ends. */
    scratchDir: string;
  }
}
