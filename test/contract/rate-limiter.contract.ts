import { beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/core/clock.js';
import type { RateLimiter, RateLimitRule, RateLimitSubject } from '../../src/ports/rate-limiter.js';

export interface RateLimiterHarness {
  limiter: RateLimiter;
  clock: ManualClock;
}

const subject: RateLimitSubject = { tag: 'acct:1001', name: 'code-send:sms' };
const fixed: RateLimitRule = { limit: 3, windowMs: 60_000, mode: 'fixed' };
const sliding: RateLimitRule = { ...fixed, mode: 'sliding' };

export function describeRateLimiterContract(label: string, factory: () => Promise<RateLimiterHarness>): void {
  describe(`RateLimiter contract: ${label}`, () => {
    let limiter: RateLimiter;
    let clock: ManualClock;

    beforeEach(async () => {
      ({ limiter, clock } = await factory());
    });

    async function hitTimes(times: number, rule: RateLimitRule, who = subject) {
      const results = [];
      for (let index = 0; index < times; index += 1) results.push(await limiter.hit(who, rule));
      return results;
    }

    describe.each([fixed, sliding])('$mode window', (rule) => {
      it('allows `limit` hits, counting down, then refuses until the window ends', async () => {
        const start = clock.now();
        const results = await hitTimes(4, rule);
        expect(results.map((result) => [result.allowed, result.remaining])).toEqual([
          [true, 2],
          [true, 1],
          [true, 0],
          [false, 0],
        ]);
        expect(results[0]?.retryAt).toBe(start);
        expect(results[2]?.retryAt).toBe(start + rule.windowMs);
        expect(results[3]?.retryAt).toBe(start + rule.windowMs);
      });

      it('allows exactly `limit` of 30 concurrent hits', async () => {
        const rule30 = { ...rule, limit: 7 };
        const results = await Promise.all(Array.from({ length: 30 }, () => limiter.hit(subject, rule30)));
        expect(results.filter((result) => result.allowed)).toHaveLength(7);
        const remainders = results.filter((result) => result.allowed).map((result) => result.remaining);
        expect(remainders.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
        expect(await limiter.peek(subject, rule30)).toMatchObject({ allowed: false, remaining: 0 });
      });

      it('gives the whole allowance back once the window has passed', async () => {
        await hitTimes(3, rule);
        clock.advance(rule.windowMs - 1);
        expect((await limiter.hit(subject, rule)).allowed).toBe(false);
        clock.advance(1);
        const results = await hitTimes(4, rule);
        expect(results.map((result) => result.allowed)).toEqual([true, true, true, false]);
      });

      it('does not count refused hits, so hammering does not push the retry time out', async () => {
        const start = clock.now();
        await hitTimes(3, rule);
        for (let step = 0; step < 5; step += 1) {
          clock.advance(10_000);
          expect(await limiter.hit(subject, rule)).toMatchObject({
            allowed: false,
            retryAt: start + rule.windowMs,
          });
        }
        clock.set(start + rule.windowMs);
        expect((await limiter.hit(subject, rule)).allowed).toBe(true);
      });

      it('peeks without counting', async () => {
        const start = clock.now();
        for (let index = 0; index < 5; index += 1) {
          expect(await limiter.peek(subject, rule)).toEqual({ allowed: true, remaining: 3, retryAt: start });
        }
        await hitTimes(1, rule);
        expect(await limiter.peek(subject, rule)).toEqual({ allowed: true, remaining: 2, retryAt: start });
        await hitTimes(2, rule);
        expect(await limiter.peek(subject, rule)).toEqual({
          allowed: false,
          remaining: 0,
          retryAt: start + rule.windowMs,
        });
        expect((await limiter.hit(subject, rule)).allowed).toBe(false);
      });

      it('keeps subjects apart by tag and by name', async () => {
        await hitTimes(3, rule);
        expect((await limiter.hit({ ...subject, tag: 'acct:1002' }, rule)).allowed).toBe(true);
        expect((await limiter.hit({ ...subject, name: 'code-send:email' }, rule)).allowed).toBe(true);
        expect((await limiter.hit(subject, rule)).allowed).toBe(false);
      });

      it('forgets every hit on reset', async () => {
        await hitTimes(3, rule);
        await limiter.reset(subject);
        expect(await limiter.peek(subject, rule)).toMatchObject({ allowed: true, remaining: 3 });
        expect((await hitTimes(3, rule)).every((result) => result.allowed)).toBe(true);
      });
    });

    it('at a window boundary: fixed gives a fresh allowance, sliding still counts recent hits', async () => {
      const start = clock.now();
      await hitTimes(1, fixed);
      await hitTimes(1, sliding);
      clock.advance(50_000);
      await hitTimes(2, fixed);
      await hitTimes(2, sliding);

      clock.set(start + 60_000);
      expect((await hitTimes(4, fixed)).map((result) => result.allowed)).toEqual([true, true, true, false]);
      const slid = await hitTimes(2, sliding);
      expect(slid.map((result) => result.allowed)).toEqual([true, false]);
      // The two hits made at start + 50 s still count until start + 110 s.
      expect(slid[1]?.retryAt).toBe(start + 110_000);
      clock.set(start + 110_000);
      expect((await hitTimes(3, sliding)).map((result) => result.allowed)).toEqual([true, true, false]);
    });

    it('sliding: each hit frees its place exactly windowMs after it was made', async () => {
      const start = clock.now();
      for (let index = 0; index < 3; index += 1) {
        await limiter.hit(subject, sliding);
        clock.advance(1_000);
      }
      expect(await limiter.hit(subject, sliding)).toMatchObject({ allowed: false, retryAt: start + 60_000 });
      clock.set(start + 60_000 - 1);
      expect((await limiter.hit(subject, sliding)).allowed).toBe(false);
      clock.set(start + 60_000);
      expect(await limiter.hit(subject, sliding)).toMatchObject({
        allowed: true,
        remaining: 0,
        retryAt: start + 61_000,
      });
    });

    it('reset clears both modes of the subject only', async () => {
      const other = { ...subject, tag: 'acct:1003' };
      await hitTimes(3, fixed);
      await hitTimes(3, sliding);
      await hitTimes(3, fixed, other);
      await limiter.reset(subject);
      expect((await limiter.peek(subject, fixed)).remaining).toBe(3);
      expect((await limiter.peek(subject, sliding)).remaining).toBe(3);
      expect((await limiter.peek(other, fixed)).allowed).toBe(false);
    });

    it('rejects rules and subjects it cannot enforce instead of allowing', async () => {
      await expect(limiter.hit(subject, { ...fixed, limit: 0 })).rejects.toThrow(RangeError);
      await expect(limiter.hit(subject, { ...fixed, windowMs: 1.5 })).rejects.toThrow(RangeError);
      await expect(limiter.hit({ ...subject, tag: 'acct:{1}' }, fixed)).rejects.toThrow(RangeError);
      await expect(limiter.peek({ ...subject, name: '' }, sliding)).rejects.toThrow(RangeError);
    });
  });
}
