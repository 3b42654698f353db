import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHashingPool } from './hashing-pool.js';

const threadCount = () => readdirSync('/proc/self/task').length;

describe('the hashing pool', () => {
  it.runIf(process.platform === 'linux')(
    'starts its worker with the pool, so no password waits for a thread to start',
    async () => {
      const before = threadCount();
      const pool = createHashingPool({ threads: 1, maxQueue: 1 });
      try {
        const deadline = Date.now() + 5_000;
        while (threadCount() <= before && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(threadCount()).toBeGreaterThan(before);
        await expect(pool.hash('first of the day', 4)).resolves.toMatch(/^\$2b\$04\$/);
      } finally {
        await pool.close();
      }
    },
  );
});
