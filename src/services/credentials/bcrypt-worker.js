// Plain JavaScript: worker threads load this file with Node itself, without the TypeScript loader.
import { setPriority } from 'node:os';
import bcrypt from 'bcrypt';

// On Linux the nice value is per thread, so this lowers only this worker: Slack's acks on the
// main thread win the CPU whenever both want it. Platforms that refuse it run at normal priority.
try {
  setPriority(0, 10);
} catch {
  // Priority is a preference, never a reason to refuse hashing.
}

/**
 * The synchronous calls run on this worker's own thread instead of libuv's shared pool, which
 * the main thread needs for DNS, files and other crypto.
 *
 * @param {{ op: 'hash', password: string, cost: number } | { op: 'compare', password: string, hash: string }} task
 */
export default function run(task) {
  return task.op === 'hash'
    ? bcrypt.hashSync(task.password, task.cost)
    : bcrypt.compareSync(task.password, task.hash);
}
