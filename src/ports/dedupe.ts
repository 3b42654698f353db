/**
 * Remembers that something was handled so a retry is ignored: Slack event ids
 * (Slack redelivers when we ack late), view submissions, action clicks, job ids.
 */
export interface Dedupe {
  /** True for the first claim of `key`; false for every other claim while it lives (`ttlMs`). */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

export function assertValidClaim(key: string, ttlMs: number): void {
  if (key === '') throw new RangeError('dedupe key must not be empty');
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) {
    throw new RangeError(`dedupe ttl must be a whole number of ms of at least 1, got ${ttlMs}`);
  }
}
