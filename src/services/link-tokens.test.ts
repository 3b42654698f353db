import { describe, expect, it } from 'vitest';
import { MemoryLinkTokenStore } from '../adapters/memory/link-token-store.js';
import { ManualClock } from '../core/clock.js';
import type { LinkTokenStore } from '../ports/link-token-store.js';
import { digestLinkToken, LinkTokens } from './link-tokens.js';

function setup(onClaim?: (links: LinkTokens) => Promise<void>) {
  const clock = new ManualClock();
  const memory = new MemoryLinkTokenStore(clock);
  const version = { current: 1 };
  const store: LinkTokenStore = {
    save: (digest, token) => memory.save(digest, token),
    find: (digest) => memory.find(digest),
    standing: (accountId) => memory.standing(accountId),
    revokeAll: (accountId) => memory.revokeAll(accountId),
    generation: () => memory.generation(),
    // Lets a test slip something in between the service's first judgement and the claim.
    claim: async (digest) => {
      await onClaim?.(links);
      return memory.claim(digest);
    },
  };
  const links = new LinkTokens({
    store,
    clock,
    lifetimes: { resetTtlMs: 1_000, passwordChangeTtlMs: 500 },
    currentCredentialVersion: async () => version.current,
  });
  const mintReset = () =>
    links.mint({ accountId: '1001', kind: 'reset', credentialVersion: version.current });
  return { links, memory, version, mintReset };
}

describe('LinkTokens', () => {
  it('digests tokens with SHA-256 in hex', () => {
    expect(digestLinkToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('loses to a newer link minted while the consume was under way', async () => {
    let raced = false;
    const { links, mintReset } = setup(async (service) => {
      if (raced) return;
      raced = true;
      await service.mint({ accountId: '1001', kind: 'reset', credentialVersion: 1 });
    });
    const token = await mintReset();
    expect(await links.consume(token)).toMatchObject({ ok: false, reason: 'superseded' });
  });

  it('loses to a password change that happened while the consume was under way', async () => {
    const { links, version, mintReset } = setup(async () => {
      version.current = 2;
    });
    const token = await mintReset();
    expect(await links.consume(token)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('leaves a refused link as it was, so later attempts get the same reason', async () => {
    const { links, memory, mintReset } = setup();
    const older = await mintReset();
    await mintReset();
    expect(await links.consume(older)).toMatchObject({ ok: false, reason: 'superseded' });
    expect(await links.consume(older)).toMatchObject({ ok: false, reason: 'superseded' });
    expect((await memory.find(digestLinkToken(older))).status).toBe('live');
  });

  it('tells the audit log whose link it was, but not for unknown tokens', async () => {
    const { links, mintReset } = setup();
    const token = await mintReset();
    await links.consume(token);
    expect(await links.peek(token)).toEqual({ ok: false, reason: 'used', accountId: '1001', flowId: null });
    expect(await links.peek(token.replace(/^./, (first) => (first === 'A' ? 'B' : 'A')))).toEqual({
      ok: false,
      reason: 'unknown',
    });
  });
});
