import type { Clock } from '../../core/clock.js';
import { assertValidClaim, type Dedupe } from '../../ports/dedupe.js';

/** How often claims nobody asks about again are dropped. */
const SWEEP_EVERY_MS = 60_000;

export class MemoryDedupe implements Dedupe {
  private readonly expiries = new Map<string, number>();
  private nextSweepAt = 0;

  constructor(private readonly clock: Clock) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    assertValidClaim(key, ttlMs);
    const now = this.clock.now();
    this.sweep(now);
    const held = this.expiries.get(key);
    if (held !== undefined && held > now) return false;
    this.expiries.set(key, now + ttlMs);
    return true;
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_EVERY_MS;
    for (const [key, expiresAt] of this.expiries) {
      if (expiresAt <= now) this.expiries.delete(key);
    }
  }
}
