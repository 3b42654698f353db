import { beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/core/clock.js';
import type { Dedupe } from '../../src/ports/dedupe.js';

export interface DedupeHarness {
  dedupe: Dedupe;
  clock: ManualClock;
}

const FIVE_MINUTES = 300_000;

export function describeDedupeContract(label: string, factory: () => Promise<DedupeHarness>): void {
  describe(`Dedupe contract: ${label}`, () => {
    let dedupe: Dedupe;
    let clock: ManualClock;

    beforeEach(async () => {
      ({ dedupe, clock } = await factory());
    });

    it('answers true to the first claim and false to the next ones', async () => {
      expect(await dedupe.claim('slack:event:Ev01', FIVE_MINUTES)).toBe(true);
      expect(await dedupe.claim('slack:event:Ev01', FIVE_MINUTES)).toBe(false);
      expect(await dedupe.claim('slack:event:Ev01', FIVE_MINUTES)).toBe(false);
      expect(await dedupe.claim('slack:event:Ev02', FIVE_MINUTES)).toBe(true);
    });

    it('lets the key be claimed again once its lifetime is over, for a fresh lifetime', async () => {
      const start = clock.now();
      await dedupe.claim('slack:view:V1:abc', FIVE_MINUTES);
      clock.set(start + FIVE_MINUTES - 1);
      expect(await dedupe.claim('slack:view:V1:abc', FIVE_MINUTES)).toBe(false);
      clock.set(start + FIVE_MINUTES);
      expect(await dedupe.claim('slack:view:V1:abc', FIVE_MINUTES)).toBe(true);
      clock.set(start + 2 * FIVE_MINUTES - 1);
      expect(await dedupe.claim('slack:view:V1:abc', FIVE_MINUTES)).toBe(false);
    });

    it('a refused claim does not extend the lifetime', async () => {
      const start = clock.now();
      await dedupe.claim('job:42', 1_000);
      clock.advance(900);
      expect(await dedupe.claim('job:42', 1_000)).toBe(false);
      clock.set(start + 1_000);
      expect(await dedupe.claim('job:42', 1_000)).toBe(true);
    });

    it('gives exactly one of 20 concurrent claims', async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => dedupe.claim('slack:action:trigger-1', FIVE_MINUTES)),
      );
      expect(answers.filter(Boolean)).toHaveLength(1);
    });

    it('rejects an empty key or a lifetime it cannot keep', async () => {
      await expect(dedupe.claim('', FIVE_MINUTES)).rejects.toThrow(RangeError);
      await expect(dedupe.claim('job:1', 0)).rejects.toThrow(RangeError);
      await expect(dedupe.claim('job:1', 2.5)).rejects.toThrow(RangeError);
    });
  });
}
