import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { TemporarilyUnavailableError } from '../../core/errors.js';

/** Where bcrypt's work runs: never on the thread that answers Slack. */
export interface BcryptRunner {
  hash(password: string, cost: number): Promise<string>;
  compare(password: string, hash: string): Promise<boolean>;
}

export interface HashingPool extends BcryptRunner {
  close(): Promise<void>;
}

/** Every hashing worker is taken and the queue is full: the person tries again in a moment. */
export class HashingBusyError extends TemporarilyUnavailableError {
  constructor() {
    super('password hashing (busy)');
    this.name = 'HashingBusyError';
  }
}

export interface HashingPoolOptions {
  /** Worker threads; below the core count so hashing never takes every core from the event loop. */
  threads: number;
  /** Hashes that may wait for a worker; one more is refused at once with HashingBusyError. */
  maxQueue: number;
}

function defaultHashingPoolOptions(cores = availableParallelism()): HashingPoolOptions {
  const threads = Math.max(1, cores - 1);
  return { threads, maxQueue: threads * 16 };
}

type Task =
  { op: 'hash'; password: string; cost: number } | { op: 'compare'; password: string; hash: string };

export function createHashingPool(options: HashingPoolOptions = defaultHashingPoolOptions()): HashingPool {
  // Every worker starts with the pool and stays: started on demand (as before, and again after
  // 30 s idle), a thread made the first password of a quiet spell wait while it loaded Node
  // and bcrypt, with the whole queue of a sudden burst behind it.
  const pool = new Piscina<Task, string | boolean>({
    filename: new URL('./bcrypt-worker.js', import.meta.url).href,
    minThreads: options.threads,
    maxThreads: options.threads,
  });

  // Counted here rather than left to Piscina's own limit, so the refusal is ours to recognise.
  let inFlight = 0;
  const run = async (task: Task): Promise<string | boolean> => {
    if (inFlight >= options.threads + options.maxQueue) throw new HashingBusyError();
    inFlight += 1;
    try {
      return await pool.run(task);
    } finally {
      inFlight -= 1;
    }
  };

  return {
    hash: async (password, cost) => String(await run({ op: 'hash', password, cost })),
    compare: async (password, hash) => (await run({ op: 'compare', password, hash })) === true,
    close: () => pool.close({ force: true }),
  };
}
