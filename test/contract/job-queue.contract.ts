import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../src/core/clock.js';
import {
  PermanentJobError,
  type FinalFailure,
  type JobContext,
  type JobQueue,
  type JobQueueSettings,
} from '../../src/ports/job-queue.js';
import { eventually, sleep } from '../notifications/eventually.js';

export type JobQueueFactory = (settings: JobQueueSettings, clock: Clock) => Promise<JobQueue>;

const BACKOFF_MS = 60;

/**
 * Real time on purpose: BullMQ times delays and backoff with the Redis server's and the
 * process's own clocks, so both adapters are held to the same wall-clock behaviour here.
 */
export function describeJobQueueContract(label: string, factory: JobQueueFactory): void {
  describe(`JobQueue contract: ${label}`, () => {
    const open: JobQueue[] = [];
    let failures: FinalFailure[] = [];

    afterEach(async () => {
      await Promise.all(open.splice(0).map((queue) => queue.close()));
      failures = [];
    });

    async function makeQueue(overrides: Partial<JobQueueSettings> = {}): Promise<JobQueue> {
      const queue = await factory(
        {
          attempts: 3,
          backoffMs: BACKOFF_MS,
          dedupeMs: 3_600_000,
          failedRetentionMs: 3_600_000,
          concurrency: 4,
          onFinalFailure: async (failure) => {
            failures.push(failure);
          },
          ...overrides,
        },
        systemClock,
      );
      open.push(queue);
      return queue;
    }

    it('runs a job once with its payload and reports it completed', async () => {
      const queue = await makeQueue();
      const seen: JobContext[] = [];
      queue.register('greet', async (job) => {
        seen.push(job);
      });
      await queue.start();
      await queue.enqueue({ id: 'flow-1:greet', kind: 'greet', payload: { name: 'Ada', n: [1, 2] } });
      await eventually(async () => (await queue.status('flow-1:greet')).state === 'completed');
      expect(seen).toEqual([
        {
          id: 'flow-1:greet',
          kind: 'greet',
          payload: { name: 'Ada', n: [1, 2] },
          attempt: 1,
          maxAttempts: 3,
        },
      ]);
      expect(await queue.status('flow-1:greet')).toEqual({ state: 'completed', attemptsMade: 1 });
      expect(await queue.status('never-enqueued')).toEqual({ state: 'unknown', attemptsMade: 0 });
    });

    it('ignores a second enqueue of the same id, before and after the first ran', async () => {
      const queue = await makeQueue();
      let runs = 0;
      queue.register('once', async () => {
        runs += 1;
      });
      await queue.enqueue({ id: 'flow-2:step', kind: 'once', payload: 'first' });
      await queue.enqueue({ id: 'flow-2:step', kind: 'once', payload: 'second' });
      await queue.start();
      await eventually(async () => (await queue.status('flow-2:step')).state === 'completed');
      await queue.enqueue({ id: 'flow-2:step', kind: 'once', payload: 'third' });
      await sleep(150);
      expect(runs).toBe(1);
    });

    it('retries a failing job with exponential backoff until it succeeds', async () => {
      const queue = await makeQueue();
      const startedAt: number[] = [];
      queue.register('flaky', async (job) => {
        startedAt.push(Date.now());
        if (job.attempt < 3) throw new Error(`gateway said no (${job.attempt})`);
      });
      await queue.start();
      await queue.enqueue({ id: 'flaky-1', kind: 'flaky', payload: null });
      await eventually(async () => (await queue.status('flaky-1')).state === 'completed');
      const [first = 0, second = 0, third = 0] = startedAt;
      expect(startedAt).toHaveLength(3);
      expect(second - first).toBeGreaterThanOrEqual(BACKOFF_MS - 5);
      expect(third - second).toBeGreaterThanOrEqual(2 * BACKOFF_MS - 5);
      expect((await queue.status('flaky-1')).attemptsMade).toBe(3);
      expect(failures).toEqual([]);
    });

    it('keeps a job in the failed set after its last attempt and reports it once', async () => {
      const queue = await makeQueue({ attempts: 2 });
      let runs = 0;
      queue.register('doomed', async () => {
        runs += 1;
        throw new Error('mail server refused the connection');
      });
      await queue.start();
      await queue.enqueue({ id: 'doomed-1', kind: 'doomed', payload: { to: 'x' } });
      await eventually(async () => (await queue.status('doomed-1')).state === 'failed');
      expect(runs).toBe(2);
      expect(failures).toEqual([
        { id: 'doomed-1', kind: 'doomed', attempts: 2, reason: 'mail server refused the connection' },
      ]);
      expect(await queue.status('doomed-1')).toEqual({
        state: 'failed',
        attemptsMade: 2,
        lastError: 'mail server refused the connection',
      });
      const failed = await queue.failed(10);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ id: 'doomed-1', kind: 'doomed', attempts: 2 });
      await queue.enqueue({ id: 'doomed-1', kind: 'doomed', payload: { to: 'x' } });
      await sleep(150);
      expect(runs).toBe(2);
    });

    it('stops at once on a permanent failure and on a kind nobody handles', async () => {
      const queue = await makeQueue({ attempts: 5 });
      let runs = 0;
      queue.register('refused', async () => {
        runs += 1;
        throw new PermanentJobError('no such mailbox');
      });
      await queue.start();
      await queue.enqueue({ id: 'refused-1', kind: 'refused', payload: null });
      await queue.enqueue({ id: 'orphan-1', kind: 'nobody-handles-this', payload: null });
      await eventually(async () => (await queue.failed(10)).length === 2);
      expect(runs).toBe(1);
      expect(failures.map((failure) => [failure.id, failure.attempts]).sort()).toEqual([
        ['orphan-1', 1],
        ['refused-1', 1],
      ]);
    });

    it('runs a job no earlier than its runAt', async () => {
      const queue = await makeQueue();
      let ranAt = 0;
      queue.register('later', async () => {
        ranAt = Date.now();
      });
      await queue.start();
      const runAt = systemClock.now() + 400;
      await queue.enqueue({ id: 'later-1', kind: 'later', payload: null, runAt });
      await sleep(100);
      expect(await queue.status('later-1')).toEqual({ state: 'delayed', attemptsMade: 0 });
      await eventually(() => ranAt > 0);
      expect(ranAt).toBeGreaterThanOrEqual(runAt - 5);
    });

    it('runs each of many jobs exactly once with several at a time', async () => {
      const queue = await makeQueue();
      const runs = new Map<string, number>();
      queue.register('count', async (job) => {
        await sleep(5);
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      });
      await queue.start();
      const ids = Array.from({ length: 30 }, (_, index) => `many-${index}`);
      await Promise.all(ids.map((id) => queue.enqueue({ id, kind: 'count', payload: null })));
      await Promise.all(ids.map((id) => queue.enqueue({ id, kind: 'count', payload: null })));
      await eventually(() => runs.size === ids.length);
      await sleep(100);
      expect([...runs.values()].every((count) => count === 1)).toBe(true);
    });

    it('keeps a slot for other kinds while every job of one kind hangs (a hung mail server never holds up codes by text)', async () => {
      const queue = await makeQueue({ concurrency: 3 });
      let release = () => undefined as void;
      const hung = new Promise<void>((resolve) => {
        release = resolve;
      });
      const started: string[] = [];
      queue.register('mail', async (job) => {
        started.push(job.id);
        await hung;
      });
      let texted = false;
      queue.register('text', async () => {
        texted = true;
      });
      try {
        await queue.start();
        await Promise.all(
          Array.from({ length: 5 }, (_, index) =>
            queue.enqueue({ id: `mail-${index}`, kind: 'mail', payload: null }),
          ),
        );
        await eventually(() => started.length === 2);
        await queue.enqueue({ id: 'text-1', kind: 'text', payload: null });
        await eventually(() => texted);
        // The handler has returned; the queue records the completion a moment later.
        await eventually(async () => (await queue.status('text-1')).state === 'completed');
        expect(await queue.status('text-1')).toEqual({ state: 'completed', attemptsMade: 1 });
        expect(started).toHaveLength(2);
      } finally {
        release();
      }
      await eventually(() => started.length === 5);
      await eventually(async () => (await queue.status('mail-4')).state === 'completed');
      expect(await queue.status('mail-4')).toEqual({ state: 'completed', attemptsMade: 1 });
    });

    it('lets running jobs finish when it closes', async () => {
      const queue = await makeQueue();
      let finished = false;
      let started = false;
      queue.register('slow', async () => {
        started = true;
        await sleep(300);
        finished = true;
      });
      await queue.start();
      await queue.enqueue({ id: 'slow-1', kind: 'slow', payload: null });
      await eventually(() => started);
      await queue.close();
      expect(finished).toBe(true);
    });

    it('refuses an empty id and nonsense attempts', async () => {
      const queue = await makeQueue();
      await expect(queue.enqueue({ id: '', kind: 'x', payload: null })).rejects.toThrow(RangeError);
      await expect(queue.enqueue({ id: 'a', kind: 'x', payload: null, attempts: 0 })).rejects.toThrow(
        RangeError,
      );
    });
  });
}
