import { createHash } from 'node:crypto';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { finishesWithin } from '../../core/deadline.js';
import type { Logger } from '../../core/logger.js';
import {
  assertValidRequest,
  KindSlots,
  PermanentJobError,
  type EnqueueRequest,
  type FailedJob,
  type JobHandler,
  type JobPayload,
  type JobQueue,
  type JobQueueSettings,
  type JobState,
  type JobStatus,
} from '../../ports/job-queue.js';
import type { RedisTopology } from '../../config/redis.js';
import { createRedisClient, guarded, waitUntilReady, type RedisClient } from './connection.js';
import { repeatedWarning } from '../../core/repeated-warning.js';

/**
 * One queue for every kind; the braces make all of BullMQ's keys (`<prefix>:{jobs}:…`) share
 * one Cluster slot, which its multi-key scripts need.
 */
const QUEUE_NAME = '{jobs}';
/** BullMQ trims its event stream to about this many entries. */
const EVENTS_KEPT = 100;
/** How long a job whose kind holds its share of the slots waits before it is looked at again. */
const SHARE_WAIT_MS = { min: 10, max: 1_000 };
/** How long shutdown waits for running jobs; within the 10 s a process manager gives after SIGTERM. */
const DRAIN_MS = 5_000;

const payloadSchema: z.ZodType<JobPayload> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(payloadSchema),
    z.record(z.string(), payloadSchema),
  ]),
);

/** `done` marked a completed job whose payload was dropped, before completed jobs were removed. */
const jobDataSchema = z.object({ id: z.string(), payload: payloadSchema, done: z.literal(true).optional() });
type JobData = z.infer<typeof jobDataSchema>;

export interface RedisJobQueueOptions {
  topology: RedisTopology;
  /** The app's key prefix (REDIS_KEY_PREFIX); BullMQ keys become `<prefix>:{jobs}:…`. */
  keyPrefix: string;
  clock: Clock;
  settings: JobQueueSettings;
  logger?: Logger;
}

/**
 * BullMQ over its own connections. Workers need `maxRetriesPerRequest: null` and an
 * offline queue so they ride out a Redis restart; the producer refuses at once while
 * Redis is away (TemporarilyUnavailableError) so a person is told to retry instead of
 * waiting. Neither shares a connection with the fail-fast security paths.
 *
 * Payloads: the delivery service seals them (AES-GCM) before they get here. A completed
 * job is removed at once (a job record is ~1.4 KB); a small done key, holding the attempts
 * it took, is kept for the dedupe window instead, so a repeated event that queues the job
 * again runs nothing. A failed job keeps its sealed payload until the retention ends.
 */
export class RedisJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly producerConnection: RedisClient;
  private queue: Queue | undefined;
  private queueReady: Promise<Queue> | undefined;
  private workerConnection: RedisClient | undefined;
  private worker: Worker | undefined;
  private readonly slots: KindSlots;

  constructor(private readonly options: RedisJobQueueOptions) {
    this.producerConnection = createRedisClient(options.topology, 'queue-producer');
    this.slots = new KindSlots(options.settings.concurrency);
  }

  /** BullMQ reads the server version as it is built, so it is built once the connection is up. */
  private ready(): Promise<Queue> {
    this.queueReady ??= waitUntilReady(this.producerConnection, 2_000).then(
      () => {
        const queue = new Queue(QUEUE_NAME, {
          connection: this.producerConnection,
          prefix: this.options.keyPrefix,
          // Nothing here reads BullMQ's event stream; its default 10,000 entries cost ~1 MB.
          streams: { events: { maxLen: EVENTS_KEPT } },
        });
        queue.on('error', repeatedWarning(this.options.logger, 'job queue connection error'));
        this.queue = queue;
        return queue;
      },
      (error: unknown) => {
        this.queueReady = undefined;
        throw error;
      },
    );
    return this.queueReady;
  }

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  async enqueue(request: EnqueueRequest): Promise<void> {
    assertValidRequest(request);
    const { settings, clock } = this.options;
    const data: JobData = { id: request.id, payload: request.payload };
    const queue = await this.ready();
    await guarded('jobs.enqueue', () =>
      queue.add(request.kind, data, {
        jobId: bullJobId(request.id),
        delay: Math.max(0, (request.runAt ?? 0) - clock.now()),
        attempts: request.attempts ?? settings.attempts,
        backoff: { type: 'exponential', delay: settings.backoffMs },
        removeOnComplete: true,
        removeOnFail: { age: Math.ceil(settings.failedRetentionMs / 1000) },
      }),
    );
  }

  async status(id: string): Promise<JobStatus> {
    const queue = await this.ready();
    return guarded('jobs.status', async () => {
      const job = await queue.getJob(bullJobId(id));
      if (!job) {
        const attempts = Number(await this.producerConnection.get(this.doneKey(bullJobId(id))));
        return attempts > 0
          ? { state: 'completed', attemptsMade: attempts }
          : { state: 'unknown', attemptsMade: 0 };
      }
      const state = toState(await job.getState());
      return job.failedReason
        ? { state, attemptsMade: job.attemptsMade, lastError: job.failedReason }
        : { state, attemptsMade: job.attemptsMade };
    });
  }

  async failed(limit: number): Promise<FailedJob[]> {
    if (limit < 1) return [];
    const queue = await this.ready();
    const jobs = await guarded('jobs.failed', () => queue.getFailed(0, limit - 1));
    return jobs
      .map((job) => ({
        id: jobDataSchema.safeParse(job.data).data?.id ?? job.id ?? '?',
        kind: job.name,
        attempts: job.attemptsMade,
        reason: job.failedReason,
        failedAt: job.finishedOn ?? 0,
      }))
      .sort((a, b) => b.failedAt - a.failedAt);
  }

  async start(): Promise<void> {
    if (this.worker) return;
    this.workerConnection = createRedisClient(this.options.topology, 'queue-worker');
    this.worker = new Worker(QUEUE_NAME, (job, token) => this.takeTurn(job, token), {
      connection: this.workerConnection,
      prefix: this.options.keyPrefix,
      concurrency: this.options.settings.concurrency,
    });
    this.worker.on('error', repeatedWarning(this.options.logger, 'job worker error'));
    await this.worker.waitUntilReady();
  }

  /**
   * Worker first: BullMQ's close waits for the jobs it is running, which is the drain. While
   * Redis is down that wait never ends, so after DRAIN_MS the connections are cut; a job
   * cut short is retried by whichever worker takes it next.
   */
  async close(): Promise<void> {
    const drained = await finishesWithin(this.drain(), DRAIN_MS).catch(() => false);
    if (drained) return;
    this.options.logger?.warn('job queue did not drain in time; connections cut');
    for (const connection of [this.workerConnection, this.producerConnection]) connection?.disconnect();
  }

  private async drain(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    for (const connection of [this.workerConnection, this.producerConnection]) {
      if (connection && connection.status !== 'end')
        await connection.quit().catch(() => connection.disconnect());
    }
  }

  /** Runs the job unless its kind holds its share of the slots; then it waits, no attempt spent. */
  private async takeTurn(job: Job, token: string | undefined): Promise<void> {
    const slot = this.slots.take(job.name);
    if (!slot) {
      const wait = this.slots.waitMs(job.name, SHARE_WAIT_MS.min, SHARE_WAIT_MS.max);
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }
    try {
      await this.process(job);
    } finally {
      slot.give();
    }
  }

  private async process(job: Job): Promise<void> {
    const parsed = jobDataSchema.safeParse(job.data);
    if (!parsed.success) {
      const reason = `stored job data is unreadable: ${parsed.error.issues[0]?.message ?? 'bad shape'}`;
      await this.reportFinalFailure({
        id: job.id ?? '?',
        kind: job.name,
        attempts: job.attemptsMade + 1,
        reason,
      });
      throw new UnrecoverableError(reason);
    }
    const data = parsed.data;
    const done = this.doneKey(job.id ?? bullJobId(data.id));
    if (data.done || (await this.worked().exists(done)) === 1) return;
    const maxAttempts = job.opts.attempts ?? 1;
    const attempt = job.attemptsMade + 1;
    const handler = this.handlers.get(job.name);
    try {
      if (!handler) throw new PermanentJobError(`no handler registered for job kind ${job.name}`);
      await handler({ id: data.id, kind: job.name, payload: data.payload, attempt, maxAttempts });
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      const reason = error instanceof Error ? error.message : String(error);
      if (permanent || attempt >= maxAttempts) {
        await this.reportFinalFailure({ id: data.id, kind: job.name, attempts: attempt, reason });
      }
      throw permanent ? new UnrecoverableError(reason) : error;
    }
    // Written before BullMQ removes the job, so no moment exists where neither is there. A
    // lost write only weakens the dedupe: sending again would be worse than not remembering.
    await this.worked()
      .set(done, String(attempt), 'PX', this.options.settings.dedupeMs)
      .catch((error: unknown) => {
        this.options.logger?.warn({ jobKind: job.name, err: error }, 'could not remember a completed job');
      });
  }

  private worked(): RedisClient {
    if (!this.workerConnection) throw new Error('the job worker is not started');
    return this.workerConnection;
  }

  private doneKey(bullId: string): string {
    return `${this.options.keyPrefix}:${QUEUE_NAME}:done:${bullId}`;
  }

  private async reportFinalFailure(failure: {
    id: string;
    kind: string;
    attempts: number;
    reason: string;
  }): Promise<void> {
    try {
      await this.options.settings.onFinalFailure?.(failure);
    } catch (error) {
      this.options.logger?.error({ jobKind: failure.kind, err: error }, 'job final-failure listener failed');
    }
  }
}

/**
 * BullMQ refuses ids with `:` or that look like integers; a base64url digest of the event id
 * has neither, and keeps the job's keys and its done key short whatever the id's length (a
 * child machine's send ran to 114 characters).
 */
function bullJobId(id: string): string {
  return `j_${createHash('sha256').update(id).digest('base64url').slice(0, 22)}`;
}

function toState(state: string): JobState {
  switch (state) {
    case 'waiting':
    case 'prioritized':
    case 'waiting-children':
      return 'waiting';
    case 'delayed':
    case 'active':
    case 'completed':
    case 'failed':
      return state;
    default:
      return 'unknown';
  }
}
