import { beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/core/clock.js';
import type { LinkTokenStore } from '../../src/ports/link-token-store.js';
import { digestLinkToken, LinkTokens, type LinkVerdict } from '../../src/services/link-tokens.js';

export interface LinkTokenStoreFixture {
  store: LinkTokenStore;
  clock: ManualClock;
}

const HOUR = 60 * 60 * 1000;
const RESET_TTL = 48 * HOUR;
const CHANGE_TTL = 10 * 60 * 1000;

/**
 * The rules of single-use links, driven through the LinkTokens service so that every
 * store is held to what the product promises, not only to its own method list.
 */
export function describeLinkTokenStoreContract(
  label: string,
  factory: () => Promise<LinkTokenStoreFixture>,
): void {
  describe(`LinkTokenStore contract: ${label}`, () => {
    let store: LinkTokenStore;
    let clock: ManualClock;
    let versions: Map<string, number>;
    let links: LinkTokens;

    beforeEach(async () => {
      ({ store, clock } = await factory());
      versions = new Map([
        ['1001', 3],
        ['1002', 1],
      ]);
      links = new LinkTokens({
        store,
        clock,
        lifetimes: { resetTtlMs: RESET_TTL, passwordChangeTtlMs: CHANGE_TTL },
        currentCredentialVersion: async (accountId) => versions.get(accountId) ?? 0,
      });
    });

    const reset = (accountId = '1001') =>
      links.mint({ accountId, kind: 'reset', credentialVersion: versions.get(accountId) ?? 0 });
    const change = (accountId = '1001', flowId = 'flow-a') =>
      links.mint({
        accountId,
        kind: 'password-change',
        credentialVersion: versions.get(accountId) ?? 0,
        flowId,
      });
    const refused = (reason: string, accountId = '1001') =>
      expect.objectContaining({ ok: false, reason, accountId }) as unknown as LinkVerdict;

    it('mints 32 random bytes as base64url and judges the token valid with its binding', async () => {
      const start = clock.now();
      const token = await reset();
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(await reset('1002')).not.toBe(token);
      expect(await links.peek(token)).toEqual({
        ok: true,
        link: {
          accountId: '1001',
          kind: 'reset',
          flowId: null,
          credentialVersion: 3,
          expiresAt: start + RESET_TTL,
        },
      });
    });

    it('peek never consumes: two peeks, then the consume still works', async () => {
      const token = await reset();
      expect((await links.peek(token)).ok).toBe(true);
      expect((await links.peek(token)).ok).toBe(true);
      expect((await links.consume(token)).ok).toBe(true);
    });

    it('is single use: the second consume and later peeks say used', async () => {
      const token = await reset();
      expect((await links.consume(token)).ok).toBe(true);
      expect(await links.consume(token)).toEqual(refused('used'));
      expect(await links.peek(token)).toEqual(refused('used'));
    });

    it('lets exactly one of many concurrent consumers through', async () => {
      const token = await reset();
      const verdicts = await Promise.all(Array.from({ length: 12 }, () => links.consume(token)));
      expect(verdicts.filter((verdict) => verdict.ok)).toHaveLength(1);
      expect(verdicts.filter((verdict) => !verdict.ok && verdict.reason === 'used')).toHaveLength(11);
    });

    it('expires a reset link after 48 hours and a password-change link after 10 minutes', async () => {
      const resetToken = await reset();
      const changeToken = await change();
      clock.advance(CHANGE_TTL - 1);
      expect((await links.peek(changeToken)).ok).toBe(true);
      clock.advance(1);
      expect(await links.peek(changeToken)).toEqual(refused('expired'));
      expect(await links.consume(changeToken)).toEqual(refused('expired'));
      clock.advance(RESET_TTL - CHANGE_TTL - 1);
      expect((await links.peek(resetToken)).ok).toBe(true);
      clock.advance(1);
      expect(await links.consume(resetToken)).toEqual(refused('expired'));
      expect(await links.peek(resetToken)).toEqual(refused('expired'));
    });

    it('keeps only the newest link of a kind per account', async () => {
      const older = await reset();
      const newer = await reset();
      const otherAccount = await reset('1002');
      expect(await links.peek(older)).toEqual(refused('superseded'));
      expect(await links.consume(older)).toEqual(refused('superseded'));
      expect((await links.consume(newer)).ok).toBe(true);
      expect((await links.consume(otherAccount)).ok).toBe(true);
    });

    it('keeps reset and password-change links independent', async () => {
      const resetToken = await reset();
      const changeToken = await change();
      expect((await links.consume(changeToken)).ok).toBe(true);
      const verdict = await links.consume(resetToken);
      expect(verdict.ok && verdict.link.kind).toBe('reset');
      expect(await links.peek(changeToken)).toEqual(refused('used'));
    });

    it('refuses a token of another kind than the page expects, without using it up', async () => {
      const changeToken = await change('1001', 'flow-b');
      expect(await links.consume(changeToken, 'reset')).toEqual({ ok: false, reason: 'unknown' });
      expect(await links.consume(changeToken, 'password-change')).toEqual({
        ok: true,
        link: expect.objectContaining({ kind: 'password-change', flowId: 'flow-b' }) as unknown,
      });
    });

    it('revokeAll kills every link of the account, and only of that account', async () => {
      const resetToken = await reset();
      const changeToken = await change();
      const otherAccount = await reset('1002');
      await links.revokeAll('1001');
      expect(await links.peek(resetToken)).toEqual(refused('revoked'));
      expect(await links.consume(changeToken)).toEqual(refused('revoked'));
      expect((await links.peek(otherAccount)).ok).toBe(true);
      const issuedAfter = await reset();
      expect((await links.consume(issuedAfter)).ok).toBe(true);
      expect(await links.peek(resetToken)).toEqual(refused('revoked'));
    });

    it('revokes links issued under an older credential version', async () => {
      const resetToken = await reset();
      const changeToken = await change();
      versions.set('1001', 4);
      expect(await links.peek(resetToken)).toEqual(refused('revoked'));
      expect(await links.consume(resetToken)).toEqual(refused('revoked'));
      expect(await links.consume(changeToken)).toEqual(refused('revoked'));
      expect((await links.consume(await reset())).ok).toBe(true);
    });

    it('answers unknown for tokens it never issued, malformed or not', async () => {
      await reset();
      const stranger = Buffer.alloc(32, 7).toString('base64url');
      expect(await links.peek(stranger)).toEqual({ ok: false, reason: 'unknown' });
      expect(await links.consume(stranger)).toEqual({ ok: false, reason: 'unknown' });
      expect(await links.consume('not a token')).toEqual({ ok: false, reason: 'unknown' });
      expect(await links.consume('')).toEqual({ ok: false, reason: 'unknown' });
    });

    it('refuses a password-change link that is not bound to a flow', async () => {
      await expect(
        links.mint({ accountId: '1001', kind: 'password-change', credentialVersion: 3 }),
      ).rejects.toThrow(RangeError);
    });

    describe('store', () => {
      const digest = (seed: number) => digestLinkToken(Buffer.alloc(32, seed).toString('base64url'));
      const token = (expiresIn: number) => ({
        accountId: '2001',
        kind: 'reset' as const,
        credentialVersion: 1,
        flowId: null,
        expiresAt: clock.now() + expiresIn,
      });

      it('numbers tokens per account and points at the newest of each kind', async () => {
        const first = await store.save(digest(1), token(HOUR));
        const second = await store.save(digest(2), { ...token(HOUR), kind: 'password-change', flowId: 'f' });
        expect([first.serial, second.serial]).toEqual([1, 2]);
        expect(await store.standing('2001')).toEqual({
          newest: { reset: digest(1), 'password-change': digest(2) },
          revokedThrough: 0,
        });
        await store.revokeAll('2001');
        expect((await store.standing('2001')).revokedThrough).toBe(2);
        expect(await store.standing('2002')).toEqual({ newest: {}, revokedThrough: 0 });
      });

      it('stamps every record with its generation, which stays put while the data lives', async () => {
        const generation = await store.generation();
        expect(generation).toMatch(/^[0-9a-f]{16,}$/);
        expect((await store.save(digest(6), token(HOUR))).generation).toBe(generation);
        expect(await store.find(digest(6))).toMatchObject({ status: 'live', record: { generation } });
        expect(await store.generation()).toBe(generation);
      });

      it('claims once, and claiming an unknown digest creates nothing', async () => {
        await store.save(digest(3), token(HOUR));
        expect((await store.claim(digest(3))).status).toBe('live');
        expect((await store.claim(digest(3))).status).toBe('used');
        expect(await store.claim(digest(4))).toEqual({ status: 'unknown' });
        expect(await store.find(digest(4))).toEqual({ status: 'unknown' });
      });

      it('refuses digests and account ids that are not what it keys by', async () => {
        await expect(store.find('ABC')).rejects.toThrow(RangeError);
        await expect(store.standing('a{b}')).rejects.toThrow(RangeError);
        await expect(store.save(digest(5), token(0))).rejects.toThrow(RangeError);
      });
    });
  });
}
