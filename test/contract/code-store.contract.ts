import { randomInt } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CodeRules } from '../../src/config/config.js';
import type { ManualClock } from '../../src/core/clock.js';
import type { CodeBinding, CodeStore } from '../../src/ports/code-store.js';
import { CodeService, type IssueResult } from '../../src/services/codes.js';

export interface CodeStoreHarness {
  store: CodeStore;
  clock: ManualClock;
}

/** One stored key with its remaining TTL and every string it holds (members, fields, values). */
export interface StoredKey {
  key: string;
  pttl: number;
  strings: string[];
}

export const CONTRACT_RULES: CodeRules = {
  ttlMs: 600_000,
  maxAttempts: 5,
  resendCooldownMs: 60_000,
  sendsPerHour: 5,
  failuresPerHour: 10,
  lockMs: 900_000,
};

const HMAC_KEY = Buffer.alloc(32, 7);
const HOUR = 3_600_000;

/**
 * Behaviour every CodeStore must have, driven through CodeService so bindings, digests
 * and real codes are exercised end to end. `inspect`, when given, lists what the
 * backend holds so the suite can check lifetimes and that no code is kept in clear.
 */
export function describeCodeStoreContract(
  label: string,
  factory: (rules: CodeRules) => Promise<CodeStoreHarness>,
  inspect?: () => Promise<StoredKey[]>,
): void {
  describe(`CodeStore contract: ${label}`, () => {
    const issuedCodes = new Set<string>();
    let store: CodeStore;
    let clock: ManualClock;
    let codes: CodeService;
    let accountId: string;

    beforeEach(async () => {
      ({ store, clock } = await factory(CONTRACT_RULES));
      codes = new CodeService(store, HMAC_KEY, { randomInt: neverTwiceInARow() });
      accountId = String(randomInt(1_000_000, 9_999_999));
    });

    const binding = (overrides: Partial<CodeBinding> = {}): CodeBinding => ({
      accountId,
      flowId: 'flow-1',
      purpose: 'contact-email',
      target: 'new@example.com',
      channel: 'email',
      ...overrides,
    });

    const issue = async (forBinding: CodeBinding = binding()): Promise<string> => {
      const result = await codes.issue(forBinding);
      if (!result.ok) throw new Error(`expected a code, got ${result.reason}`);
      issuedCodes.add(result.code);
      return result.code;
    };

    const refusal = (result: IssueResult) => (result.ok ? 'issued' : result);

    it('issues six digits that confirm their binding once', async () => {
      const start = clock.now();
      const result = await codes.issue(binding());
      if (!result.ok) throw new Error('expected a code');
      issuedCodes.add(result.code);
      expect(result.code).toMatch(/^\d{6}$/);
      expect(result.expiresAt).toBe(start + CONTRACT_RULES.ttlMs);
      expect(result.resendAvailableAt).toBe(start + CONTRACT_RULES.resendCooldownMs);
      expect(await codes.status(binding())).toEqual({
        expiresAt: result.expiresAt,
        resendAvailableAt: result.resendAvailableAt,
      });

      clock.advance(30_000);
      expect(await codes.verify(binding(), result.code)).toEqual({ outcome: 'ok' });
      expect(await codes.verify(binding(), result.code)).toEqual({ outcome: 'none' });
      expect(await codes.status(binding())).toBeNull();
    });

    it('accepts the code typed with spaces or a dash', async () => {
      const code = await issue();
      expect(await codes.verify(binding(), ` ${code.slice(0, 3)}-${code.slice(3)} `)).toEqual({
        outcome: 'ok',
      });
    });

    it('counts wrong tries down and still accepts the right code before the limit', async () => {
      const code = await issue();
      for (const attemptsLeft of [4, 3, 2, 1]) {
        expect(await codes.verify(binding(), otherThan(code))).toEqual({ outcome: 'wrong', attemptsLeft });
      }
      expect(await codes.verify(binding(), code)).toEqual({ outcome: 'ok' });
    });

    it('kills the code on the fifth wrong try', async () => {
      const code = await issue();
      for (let index = 0; index < 4; index += 1) await codes.verify(binding(), otherThan(code));
      expect(await codes.verify(binding(), 'abcdef')).toEqual({ outcome: 'exhausted' });
      expect(await codes.verify(binding(), code)).toEqual({ outcome: 'none' });
      expect(await codes.status(binding())).toBeNull();
    });

    it('gives exactly one success to 20 parallel correct submissions', async () => {
      const code = await issue();
      const results = await Promise.all(Array.from({ length: 20 }, () => codes.verify(binding(), code)));
      expect(results.filter((result) => result.outcome === 'ok')).toHaveLength(1);
      expect(results.filter((result) => result.outcome === 'none')).toHaveLength(19);
    });

    it('never counts more than maxAttempts of 50 parallel wrong guesses', async () => {
      const code = await issue();
      const guesses = Array.from({ length: 50 }, (_, index) => otherThan(code, index + 1));
      const results = await Promise.all(guesses.map((guess) => codes.verify(binding(), guess)));
      const counted = results.filter(
        (result) => result.outcome === 'wrong' || result.outcome === 'exhausted',
      );
      expect(counted).toHaveLength(CONTRACT_RULES.maxAttempts);
      expect(results.filter((result) => result.outcome === 'exhausted')).toHaveLength(1);
      expect(results.filter((result) => result.outcome === 'none')).toHaveLength(45);
      expect(await codes.verify(binding(), code)).toEqual({ outcome: 'none' });

      // Exactly five failures reached the account counter: five more lock it, four do not.
      const second = binding({ flowId: 'flow-2' });
      const next = await issue(second);
      for (let index = 0; index < 4; index += 1) {
        expect((await codes.verify(second, otherThan(next))).outcome).toBe('wrong');
      }
      expect(await codes.verify(second, otherThan(next))).toEqual({
        outcome: 'locked',
        retryAt: clock.now() + CONTRACT_RULES.lockMs,
        lockNumber: 1,
      });
    });

    it('refuses a resend within the cooldown and leaves the live code alone', async () => {
      const start = clock.now();
      const code = await issue();
      expect(refusal(await codes.issue(binding()))).toEqual({
        ok: false,
        reason: 'cooldown',
        retryAt: start + CONTRACT_RULES.resendCooldownMs,
      });
      clock.set(start + CONTRACT_RULES.resendCooldownMs - 1);
      expect(refusal(await codes.issue(binding()))).toMatchObject({ reason: 'cooldown' });
      expect(await codes.status(binding())).toEqual({
        expiresAt: start + CONTRACT_RULES.ttlMs,
        resendAvailableAt: start + CONTRACT_RULES.resendCooldownMs,
      });
      expect(await codes.verify(binding(), code)).toEqual({ outcome: 'ok' });
    });

    it('keeps the cooldown after the code was used up', async () => {
      const code = await issue();
      for (let index = 0; index < 5; index += 1) await codes.verify(binding(), otherThan(code));
      expect(refusal(await codes.issue(binding()))).toMatchObject({ reason: 'cooldown' });
    });

    it('resends after the cooldown: the old code dies, the failure count stays', async () => {
      const first = await issue();
      for (let index = 0; index < 3; index += 1) await codes.verify(binding(), otherThan(first));
      clock.advance(CONTRACT_RULES.resendCooldownMs);
      const second = await issue();
      expect(second).not.toBe(first);
      // A fresh code gets fresh tries; the old one is just a wrong guess now.
      expect(await codes.verify(binding(), first)).toEqual({ outcome: 'wrong', attemptsLeft: 4 });
      for (let index = 0; index < 3; index += 1) await codes.verify(binding(), otherThan(second));
      expect(await codes.verify(binding(), otherThan(second))).toEqual({ outcome: 'exhausted' });

      // 3 + 1 + 4 = 8 failures so far; a resend must not have reset them.
      clock.advance(CONTRACT_RULES.resendCooldownMs);
      const third = await issue();
      expect(await codes.verify(binding(), otherThan(third))).toEqual({ outcome: 'wrong', attemptsLeft: 4 });
      expect(await codes.verify(binding(), otherThan(third))).toMatchObject({ outcome: 'locked' });
    });

    it('issues at once for another binding in the same flow, replacing the live code', async () => {
      const bySms = binding({ purpose: 'step-up', target: '+447700900123', channel: 'sms' });
      const byEmail = binding({ purpose: 'step-up', target: 'me@example.com', channel: 'email' });
      const smsCode = await issue(bySms);
      const emailCode = await issue(byEmail);
      expect(await codes.status(bySms)).toBeNull();
      expect(await codes.verify(bySms, smsCode)).toEqual({ outcome: 'wrong', attemptsLeft: 4 });
      expect(await codes.verify(byEmail, emailCode)).toEqual({ outcome: 'ok' });
    });

    it('allows sendsPerHour sends per account and channel in a rolling hour', async () => {
      const start = clock.now();
      const sms = (index: number) =>
        binding({ flowId: `sms-${index}`, purpose: 'step-up', target: '+447700900123', channel: 'sms' });
      for (let index = 0; index < 5; index += 1) {
        await issue(sms(index));
        clock.advance(60_000);
      }
      expect(refusal(await codes.issue(sms(5)))).toEqual({
        ok: false,
        reason: 'send-limit',
        retryAt: start + HOUR,
      });
      expect((await codes.issue(binding({ flowId: 'email-1' }))).ok).toBe(true);
      expect((await codes.issue(binding({ flowId: 'email-1', accountId: `${accountId}0` }))).ok).toBe(true);

      clock.set(start + HOUR - 1);
      expect(refusal(await codes.issue(sms(5)))).toMatchObject({ reason: 'send-limit' });
      clock.set(start + HOUR);
      expect((await codes.issue(sms(5))).ok).toBe(true);
      expect(refusal(await codes.issue(sms(6)))).toEqual({
        ok: false,
        reason: 'send-limit',
        retryAt: start + 60_000 + HOUR,
      });
    });

    it('locks verifying and issuing for lockMs after failuresPerHour wrong tries', async () => {
      const start = clock.now();
      const live = binding({ flowId: 'other', purpose: 'step-up' });
      const liveCode = await issue(live);
      for (let round = 0; round < 2; round += 1) {
        const flow = binding({ flowId: `round-${round}` });
        const code = await issue(flow);
        for (let index = 0; index < 4; index += 1) await codes.verify(flow, otherThan(code));
        if (round === 0) expect(await codes.verify(flow, otherThan(code))).toEqual({ outcome: 'exhausted' });
        else {
          expect(await codes.verify(flow, otherThan(code))).toEqual({
            outcome: 'locked',
            retryAt: start + CONTRACT_RULES.lockMs,
            lockNumber: 1,
          });
        }
      }
      const locked = { outcome: 'locked', retryAt: start + CONTRACT_RULES.lockMs };
      expect(await codes.verify(live, liveCode)).toEqual(locked);
      expect(refusal(await codes.issue(binding({ flowId: 'fresh' })))).toEqual({
        ok: false,
        reason: 'locked',
        retryAt: start + CONTRACT_RULES.lockMs,
      });
      clock.set(start + CONTRACT_RULES.lockMs - 1);
      expect(await codes.verify(live, liveCode)).toEqual(locked);

      clock.set(start + CONTRACT_RULES.lockMs);
      expect(await codes.lockedUntil(accountId)).toBeNull();
      // The lock killed the codes that were live, so they cannot be tried after it.
      expect(await codes.verify(live, liveCode)).toEqual({ outcome: 'none' });
      const fresh = binding({ flowId: 'fresh' });
      const code = await issue(fresh);
      expect(await codes.verify(fresh, code)).toEqual({ outcome: 'ok' });
    });

    it('keeps the failures through a lock and doubles each lock within a day', async () => {
      const locks: { retryAt: number; lockNumber?: number }[] = [];
      const lockOnce = async (round: number) => {
        const flow = binding({ flowId: `round-${round}` });
        const code = await issue(flow);
        let result = await codes.verify(flow, otherThan(code));
        while (result.outcome === 'wrong') result = await codes.verify(flow, otherThan(code));
        if (result.outcome === 'exhausted') {
          const next = binding({ flowId: `round-${round}-b` });
          const again = await issue(next);
          do result = await codes.verify(next, otherThan(again));
          while (result.outcome === 'wrong');
        }
        if (result.outcome !== 'locked') throw new Error(`expected a lock, got ${result.outcome}`);
        locks.push(result);
      };

      const start = clock.now();
      await lockOnce(0);
      expect(locks[0]).toEqual({ retryAt: start + CONTRACT_RULES.lockMs, outcome: 'locked', lockNumber: 1 });
      expect(await codes.lockedUntil(accountId)).toBe(start + CONTRACT_RULES.lockMs);

      // The failures of the last hour survive the lock: one more wrong code locks again, twice as long.
      clock.set(start + CONTRACT_RULES.lockMs);
      const after = clock.now();
      const flow = binding({ flowId: 'after-first' });
      const code = await issue(flow);
      expect(await codes.verify(flow, otherThan(code))).toEqual({
        outcome: 'locked',
        retryAt: after + 2 * CONTRACT_RULES.lockMs,
        lockNumber: 2,
      });
      expect(await codes.lockedUntil(accountId)).toBe(after + 2 * CONTRACT_RULES.lockMs);

      // Past the failure window but within the day, a new lock still doubles.
      clock.set(after + 2 * CONTRACT_RULES.lockMs + HOUR);
      const third = clock.now();
      await lockOnce(3);
      expect(locks[1]).toEqual({
        outcome: 'locked',
        retryAt: third + 4 * CONTRACT_RULES.lockMs,
        lockNumber: 3,
      });

      // A day after the first lock, only the later ones count.
      clock.set(start + 24 * HOUR);
      const later = clock.now();
      await lockOnce(4);
      expect(locks[2]).toEqual({
        outcome: 'locked',
        retryAt: later + 4 * CONTRACT_RULES.lockMs,
        lockNumber: 3,
      });

      // Support's unlock clears the history too: the next lock is the first again.
      await codes.unlock(accountId);
      const unlocked = clock.now();
      await lockOnce(5);
      expect(locks[3]).toEqual({
        outcome: 'locked',
        retryAt: unlocked + CONTRACT_RULES.lockMs,
        lockNumber: 1,
      });
    });

    it('unlock lifts the lock and clears the failure count', async () => {
      for (let round = 0; round < 2; round += 1) {
        const flow = binding({ flowId: `round-${round}` });
        const code = await issue(flow);
        for (let index = 0; index < 5; index += 1) await codes.verify(flow, otherThan(code));
      }
      expect(refusal(await codes.issue(binding()))).toMatchObject({ reason: 'locked' });
      await codes.unlock(accountId);
      expect(await codes.lockedUntil(accountId)).toBeNull();

      const code = await issue();
      for (let index = 0; index < 4; index += 1) await codes.verify(binding(), otherThan(code));
      expect(await codes.verify(binding(), otherThan(code))).toEqual({ outcome: 'exhausted' });
      clock.advance(CONTRACT_RULES.resendCooldownMs);
      const next = await issue();
      expect(await codes.verify(binding(), next)).toEqual({ outcome: 'ok' });
    });

    it('unlock also clears a failure count that has not reached the limit yet', async () => {
      const early = binding({ flowId: 'early' });
      const code = await issue(early);
      for (let index = 0; index < 5; index += 1) await codes.verify(early, otherThan(code));
      const late = binding({ flowId: 'late' });
      const next = await issue(late);
      for (let index = 0; index < 4; index += 1) await codes.verify(late, otherThan(next));

      await codes.unlock(accountId);
      expect(await codes.verify(late, otherThan(next))).toEqual({ outcome: 'exhausted' });
    });

    it('counts failures over a rolling hour', async () => {
      const start = clock.now();
      const first = binding({ flowId: 'early' });
      const code = await issue(first);
      for (let index = 0; index < 5; index += 1) await codes.verify(first, otherThan(code));

      clock.set(start + HOUR);
      const later = binding({ flowId: 'late' });
      const next = await issue(later);
      for (let index = 0; index < 4; index += 1) await codes.verify(later, otherThan(next));
      expect(await codes.verify(later, otherThan(next))).toEqual({ outcome: 'exhausted' });
    });

    it('expires the code by the clock', async () => {
      const start = clock.now();
      const code = await issue();
      clock.set(start + CONTRACT_RULES.ttlMs - 1);
      expect(await codes.status(binding())).not.toBeNull();
      clock.set(start + CONTRACT_RULES.ttlMs);
      expect(await codes.status(binding())).toBeNull();
      expect(await codes.verify(binding(), code)).toEqual({ outcome: 'expired' });
      expect(await codes.verify(binding(), otherThan(code))).toEqual({ outcome: 'expired' });

      const fresh = binding({ flowId: 'flow-2' });
      const freshCode = await issue(fresh);
      clock.advance(CONTRACT_RULES.ttlMs - 1);
      expect(await codes.verify(fresh, freshCode)).toEqual({ outcome: 'ok' });
    });

    it('forgets an expired code after a while, and then it was never there', async () => {
      const code = await issue();
      clock.advance(CONTRACT_RULES.ttlMs + HOUR);
      expect(await codes.verify(binding(), code)).toEqual({ outcome: 'none' });
    });

    it('never lets a code confirm another target, purpose, flow or account', async () => {
      const code = await issue(binding({ target: 'x@example.com' }));
      expect(await codes.verify(binding({ target: 'y@example.com' }), code)).toEqual({
        outcome: 'wrong',
        attemptsLeft: 4,
      });
      expect(await codes.verify(binding({ target: 'x@example.com', purpose: 'login-email' }), code)).toEqual({
        outcome: 'wrong',
        attemptsLeft: 3,
      });
      expect(await codes.verify(binding({ target: 'x@example.com', flowId: 'flow-2' }), code)).toEqual({
        outcome: 'none',
      });
      expect(
        await codes.verify(binding({ target: 'x@example.com', accountId: `${accountId}0` }), code),
      ).toEqual({ outcome: 'none' });
      expect(await codes.status(binding({ target: 'y@example.com' }))).toBeNull();
      expect(await codes.verify(binding({ target: 'x@example.com' }), code)).toEqual({ outcome: 'ok' });
    });

    it('revokeAll kills every live code of the account and no other', async () => {
      const first = await issue(binding({ flowId: 'a' }));
      const second = await issue(binding({ flowId: 'b', channel: 'sms', target: '+447700900123' }));
      const used = await issue(binding({ flowId: 'c' }));
      await codes.verify(binding({ flowId: 'c' }), used);
      const neighbour = binding({ accountId: `${accountId}0` });
      const neighbourCode = await issue(neighbour);

      expect(await codes.revokeAll(accountId)).toBe(2);
      expect(await codes.verify(binding({ flowId: 'a' }), first)).toEqual({ outcome: 'none' });
      expect(
        await codes.verify(binding({ flowId: 'b', channel: 'sms', target: '+447700900123' }), second),
      ).toEqual({ outcome: 'none' });
      expect(await codes.status(binding({ flowId: 'a' }))).toBeNull();
      expect(await codes.revokeAll(accountId)).toBe(0);
      expect(await codes.verify(neighbour, neighbourCode)).toEqual({ outcome: 'ok' });
    });

    it('rejects identifiers that would break a key name', async () => {
      await expect(codes.issue(binding({ accountId: '1}:x' }))).rejects.toThrow(/account id/);
      await expect(codes.issue(binding({ flowId: 'a b' }))).rejects.toThrow(/flow id/);
      await expect(store.unlock('')).rejects.toThrow(/account id/);
    });

    if (inspect) {
      it('leaves every key with a TTL and no code in clear', async () => {
        // A round of every write path, so the check holds even when this test runs alone.
        const code = await issue();
        await codes.verify(binding(), otherThan(code));
        await codes.verify(binding(), code);
        for (let index = 0; index < 10; index += 1) {
          const flow = binding({ flowId: `sweep-${index}`, channel: index % 2 ? 'sms' : 'email' });
          const issued = await codes.issue(flow);
          if (issued.ok) issuedCodes.add(issued.code);
          await codes.verify(flow, issued.ok ? otherThan(issued.code) : '000000');
        }
        await codes.revokeAll(accountId);

        const stored = await inspect();
        expect(stored.length).toBeGreaterThanOrEqual(4);
        for (const { key, pttl } of stored) expect({ key, pttl: pttl > 0 }).toEqual({ key, pttl: true });
        const everything = stored.flatMap(({ key, strings }) => [key, ...strings]).join('\n');
        expect(issuedCodes.size).toBeGreaterThanOrEqual(10);
        for (const issued of issuedCodes) {
          expect(everything).not.toMatch(new RegExp(`(^|\\D)${issued}(\\D|$)`));
        }
      });
    }
  });
}

/** A different well-formed code: the nth neighbour of `code`, wrapping at a million. */
function otherThan(code: string, n = 1): string {
  return String((Number(code) + n) % 1_000_000).padStart(6, '0');
}

/** Real randomness, but a resend never repeats the previous code, so tests can tell them apart. */
function neverTwiceInARow(): (max: number) => number {
  let previous = -1;
  return (max) => {
    let value = randomInt(max);
    while (value === previous) value = randomInt(max);
    previous = value;
    return value;
  };
}
