/**
 * Background work that must not be lost: mail and text delivery, reminders, "do this at
 * time T". Jobs survive restarts (Redis adapter), are retried with exponential backoff,
 * and stay in a failed set after their last attempt.
 */
export type JobPayload = string | number | boolean | null | JobPayload[] | { [key: string]: JobPayload };

export interface EnqueueRequest {
  /**
   * Derived from the event that caused the job (flow id + step, account + date): a second
   * enqueue with the same id while the first is queued, running, failed or remembered as
   * done (the queue's dedupe window) changes nothing, so several processes never send twice.
   */
  id: string;
  /** Which registered handler runs it. */
  kind: string;
  payload: JobPayload;
  /** Epoch ms from the injected clock; omitted or past means now. */
  runAt?: number;
  /** Overrides the queue's default number of attempts. */
  attempts?: number;
}

export interface JobContext {
  id: string;
  kind: string;
  payload: JobPayload;
  /** 1 for the first try. */
  attempt: number;
  maxAttempts: number;
}

export type JobHandler = (job: JobContext) => Promise<void>;

export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'unknown';

export interface JobStatus {
  state: JobState;
  /** Attempts that have ended (succeeded or failed). */
  attemptsMade: number;
  /** Why the newest failed attempt failed. */
  lastError?: string;
}

/** What a listener hears when a job used up its attempts (or failed permanently). */
export interface FinalFailure {
  id: string;
  kind: string;
  attempts: number;
  reason: string;
}

export interface FailedJob extends FinalFailure {
  failedAt: number;
}

export interface JobQueueSettings {
  /** Attempts per job unless the request says otherwise. */
  attempts: number;
  /** First retry waits this long; each further retry waits twice as long as the one before. */
  backoffMs: number;
  /** How long a completed job's id is remembered (its payload is dropped at once). */
  dedupeMs: number;
  /** How long a job that used up its attempts stays in the failed set. */
  failedRetentionMs: number;
  /** Jobs one process runs at the same time. */
  concurrency: number;
  /** Called once per job, in the process that ran its last attempt, before it lands in the failed set. */
  onFinalFailure?: (failure: FinalFailure) => Promise<void>;
}

export interface JobQueue {
  /** Registers the code for one kind; do it before `start()`. */
  register(kind: string, handler: JobHandler): void;
  enqueue(request: EnqueueRequest): Promise<void>;
  status(id: string): Promise<JobStatus>;
  /** Jobs in the failed set, newest first. */
  failed(limit: number): Promise<FailedJob[]>;
  /** Starts running jobs in this process. Processes that only enqueue never call it. */
  start(): Promise<void>;
  /** Takes no new jobs, waits for the ones running to finish, then lets go of connections. */
  close(): Promise<void>;
}

/**
 * Thrown by a handler when retrying cannot help (a mailbox that does not exist, a number
 * the gateway refuses): the job goes straight to the failed set.
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/**
 * Jobs running in one process, per kind. One kind may take every slot but one, so a kind
 * whose every job hangs (a mail server that accepts and never answers) never holds up the
 * others: a code by text still goes out while mail waits.
 */
export class KindSlots {
  /** performance.now() at the start of each running job, per kind. */
  private readonly running = new Map<string, number[]>();

  constructor(private readonly concurrency: number) {}

  /** Takes a slot for a job of `kind`; null while that kind holds its share. */
  take(kind: string): { give(): void } | null {
    const starts = this.running.get(kind) ?? [];
    if (starts.length >= Math.max(1, this.concurrency - 1)) return null;
    const started = performance.now();
    starts.push(started);
    this.running.set(kind, starts);
    return {
      give: () => {
        starts.splice(starts.indexOf(started), 1);
        if (starts.length === 0) this.running.delete(kind);
      },
    };
  }

  /**
   * How long a job refused a slot should wait before it is looked at again: as long as the
   * kind's oldest running job has run (quick jobs free a slot soon, hung ones do not), within
   * `floorMs`..`ceilingMs`.
   */
  waitMs(kind: string, floorMs: number, ceilingMs: number): number {
    const oldest = this.running.get(kind)?.[0];
    const age = oldest === undefined ? 0 : performance.now() - oldest;
    return Math.round(Math.min(ceilingMs, Math.max(floorMs, age)));
  }
}

/** The wait before retry number `retry` (1 for the first retry). */
export function backoffDelay(backoffMs: number, retry: number): number {
  return backoffMs * 2 ** (retry - 1);
}

export function assertValidRequest(request: EnqueueRequest): void {
  if (request.id === '') throw new RangeError('job id must not be empty');
  if (request.kind === '') throw new RangeError('job kind must not be empty');
  if (request.attempts !== undefined && (!Number.isSafeInteger(request.attempts) || request.attempts < 1)) {
    throw new RangeError(`job attempts must be a whole number of at least 1, got ${request.attempts}`);
  }
}
