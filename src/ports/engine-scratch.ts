/**
 * Small, short-lived values the flow engine keeps beside its envelopes: the result of an
 * effect already run for a flow step (so XState re-running it after a restore repeats
 * nothing), a staged password hash, an account's privileged window. Every entry has a
 * lifetime; `tag` is the Redis hash tag (`acct:1001`, `flow:<id>`) so the entries of one
 * owner live in one slot.
 */
export interface EngineScratch {
  /** Writes (or replaces) the value for `ttlMs`. */
  put(tag: string, name: string, value: string, ttlMs: number): Promise<void>;
  get(tag: string, name: string): Promise<string | null>;
  /** Reads and deletes in one step: a second take gets null. */
  take(tag: string, name: string): Promise<string | null>;
  /** True for the first claim while it lives; the claim holds no value. */
  claim(tag: string, name: string, ttlMs: number): Promise<boolean>;
  delete(tag: string, name: string): Promise<void>;
}

export function assertValidScratch(tag: string, name: string, ttlMs?: number): void {
  if (!/^[^\s{}]{1,200}$/.test(tag))
    throw new RangeError('scratch tag must be 1 to 200 characters without spaces or braces');
  if (!/^[^\s{}]{1,200}$/.test(name))
    throw new RangeError('scratch name must be 1 to 200 characters without spaces or braces');
  if (ttlMs !== undefined && (!Number.isSafeInteger(ttlMs) || ttlMs < 1)) {
    throw new RangeError(`scratch ttl must be a whole number of ms of at least 1, got ${ttlMs}`);
  }
}
