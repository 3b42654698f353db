import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import {
  assertValidRequest,
  backoffDelay,
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

interface Entry {
  id: string;
  kind: string;
  /** Null once the job completed: nothing it carried outlives the send. */
  payload: JobPayload;
  runAt: number;
  maxAttempts: number;
  attemptsMade: number;
  state: Exclude<JobState, 'unknown'>;
  lastError?: string;
  finishedAt?: number;
}

/** How often due jobs are looked for; the injected clock decides which are due. */
const POLL_MS = 10;

/**
 * The in-process store mode's queue: same rules as the BullMQ adapter (ids dedupe,
 * exponential backoff, failed set, drain on close), timed by the injected clock so a
 * ManualClock can make delayed jobs due. Everything is lost on exit.
 */
export class MemoryJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly entries = new Map<string, Entry>();
  private readonly running = new Set<Promise<void>>();
  private readonly slots: KindSlots;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly settings: JobQueueSettings,
    private readonly logger?: Logger,
  ) {
    this.slots = new KindSlots(settings.concurrency);
  }

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  async enqueue(request: EnqueueRequest): Promise<void> {
    assertValidRequest(request);
    if (this.closed) throw new Error('job queue is closed');
    const now = this.clock.now();
    this.sweep(now);
    if (this.entries.has(request.id)) return;
    const runAt = Math.max(now, request.runAt ?? now);
    this.entries.set(request.id, {
      id: request.id,
      kind: request.kind,
      payload: request.payload,
      runAt,
      maxAttempts: request.attempts ?? this.settings.attempts,
      attemptsMade: 0,
      state: runAt > now ? 'delayed' : 'waiting',
    });
    this.pump();
  }

  async status(id: string): Promise<JobStatus> {
    const entry = this.entries.get(id);
    if (!entry) return { state: 'unknown', attemptsMade: 0 };
    const state = entry.state === 'delayed' && entry.runAt <= this.clock.now() ? 'waiting' : entry.state;
    return entry.lastError === undefined
      ? { state, attemptsMade: entry.attemptsMade }
      : { state, attemptsMade: entry.attemptsMade, lastError: entry.lastError };
  }

  async failed(limit: number): Promise<FailedJob[]> {
    this.sweep(this.clock.now());
    return [...this.entries.values()]
      .filter((entry) => entry.state === 'failed')
      .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))
      .slice(0, Math.max(0, limit))
      .map((entry) => ({
        id: entry.id,
        kind: entry.kind,
        attempts: entry.attemptsMade,
        reason: entry.lastError ?? '',
        failedAt: entry.finishedAt ?? 0,
      }));
  }

  async start(): Promise<void> {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.pump(), POLL_MS);
    this.timer.unref();
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    if (!this.timer || this.closed) return;
    const now = this.clock.now();
    for (const entry of this.entries.values()) {
      if (this.running.size >= this.settings.concurrency) return;
      const due = (entry.state === 'waiting' || entry.state === 'delayed') && entry.runAt <= now;
      const slot = due ? this.slots.take(entry.kind) : null;
      if (slot) {
        entry.state = 'active';
        const run = this.run(entry).finally(() => {
          slot.give();
          this.running.delete(run);
          this.pump();
        });
        this.running.add(run);
      }
    }
  }

  private async run(entry: Entry): Promise<void> {
    const attempt = entry.attemptsMade + 1;
    try {
      const handler = this.handlers.get(entry.kind);
      if (!handler) throw new PermanentJobError(`no handler registered for job kind ${entry.kind}`);
      await handler({
        id: entry.id,
        kind: entry.kind,
        payload: entry.payload,
        attempt,
        maxAttempts: entry.maxAttempts,
      });
      entry.attemptsMade = attempt;
      entry.state = 'completed';
      entry.payload = null;
      entry.finishedAt = this.clock.now();
    } catch (error) {
      entry.attemptsMade = attempt;
      entry.lastError = error instanceof Error ? error.message : String(error);
      const final = error instanceof PermanentJobError || attempt >= entry.maxAttempts;
      if (!final) {
        entry.state = 'delayed';
        entry.runAt = this.clock.now() + backoffDelay(this.settings.backoffMs, attempt);
        return;
      }
      await this.reportFinalFailure(entry);
      entry.state = 'failed';
      entry.finishedAt = this.clock.now();
    }
  }

  private async reportFinalFailure(entry: Entry): Promise<void> {
    try {
      await this.settings.onFinalFailure?.({
        id: entry.id,
        kind: entry.kind,
        attempts: entry.attemptsMade,
        reason: entry.lastError ?? '',
      });
    } catch (error) {
      this.logger?.error({ jobKind: entry.kind, err: error }, 'job final-failure listener failed');
    }
  }

  private sweep(now: number): void {
    for (const [id, entry] of this.entries) {
      if (entry.finishedAt === undefined) continue;
      const keepFor = entry.state === 'completed' ? this.settings.dedupeMs : this.settings.failedRetentionMs;
      if (entry.finishedAt + keepFor <= now) this.entries.delete(id);
    }
  }
}
