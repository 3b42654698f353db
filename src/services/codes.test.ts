import { describe, expect, it } from 'vitest';
import type { CodeBinding, CodeStore, StoreIssueRequest, StoreVerifyRequest } from '../ports/code-store.js';
import {
  bindingDigest,
  CodeService,
  codeDigest,
  generateCode,
  isWellFormedCode,
  normalizeCodeInput,
} from './codes.js';

const key = Buffer.alloc(32, 1);
const binding: CodeBinding = {
  accountId: '1001',
  flowId: 'flow-1',
  purpose: 'verification-email',
  target: 'me@example.com',
  channel: 'email',
};

describe('generateCode', () => {
  it('asks for a number below a million and keeps leading zeros', () => {
    const asked: number[] = [];
    const fixed = (value: number) => (max: number) => {
      asked.push(max);
      return value;
    };
    expect(generateCode(fixed(42))).toBe('000042');
    expect(generateCode(fixed(0))).toBe('000000');
    expect(generateCode(fixed(999_999))).toBe('999999');
    expect(asked).toEqual([1_000_000, 1_000_000, 1_000_000]);
  });

  it('refuses a random source that leaves the range', () => {
    expect(() => generateCode(() => 1_000_000)).toThrow(/outside the code range/);
    expect(() => generateCode(() => -1)).toThrow(/outside the code range/);
    expect(() => generateCode(() => 1.5)).toThrow(/outside the code range/);
  });
});

describe('code input', () => {
  it('drops spaces and dashes people type or paste', () => {
    expect(normalizeCodeInput(' 012 345 ')).toBe('012345');
    expect(normalizeCodeInput('012-345')).toBe('012345');
  });

  it('calls six digits well formed and nothing else', () => {
    expect(isWellFormedCode('012 345')).toBe(true);
    expect(isWellFormedCode('01234')).toBe(false);
    expect(isWellFormedCode('0123456')).toBe(false);
    expect(isWellFormedCode('01234a')).toBe(false);
    expect(isWellFormedCode('０１２３４５')).toBe(false);
  });
});

describe('digests', () => {
  it('depend on the key, the code and every field of the binding', () => {
    const base = codeDigest(key, binding, '123456');
    expect(codeDigest(key, { ...binding }, '123456')).toBe(base);
    const variants = [
      codeDigest(Buffer.alloc(32, 2), binding, '123456'),
      codeDigest(key, binding, '123457'),
      codeDigest(key, { ...binding, accountId: '1002' }, '123456'),
      codeDigest(key, { ...binding, flowId: 'flow-2' }, '123456'),
      codeDigest(key, { ...binding, purpose: 'login-email' }, '123456'),
      codeDigest(key, { ...binding, target: 'you@example.com' }, '123456'),
      codeDigest(key, { ...binding, channel: 'sms' }, '123456'),
      bindingDigest(key, binding),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('cannot be forged by moving text from one field into the next', () => {
    const split = codeDigest(key, { ...binding, accountId: '1', flowId: '2|3' }, '123456');
    const moved = codeDigest(key, { ...binding, accountId: '1|2', flowId: '3' }, '123456');
    expect(split).not.toBe(moved);
  });

  it('are base64url SHA-256 HMACs', () => {
    expect(codeDigest(key, binding, '123456')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('CodeService', () => {
  const recordingStore = () => {
    const issued: StoreIssueRequest[] = [];
    const verified: StoreVerifyRequest[] = [];
    const store: CodeStore = {
      issue: async (request) => {
        issued.push(request);
        return { outcome: 'issued', expiresAt: 2, resendAvailableAt: 1 };
      },
      verify: async (request) => {
        verified.push(request);
        return { outcome: 'none' };
      },
      status: async () => null,
      revokeAll: async () => 0,
      lockedUntil: async () => null,
      unlock: async () => undefined,
    };
    return { store, issued, verified };
  };

  it('hands the store digests only, the same for the code issued and the code typed', async () => {
    const { store, issued, verified } = recordingStore();
    const codes = new CodeService(store, key, { randomInt: () => 7 });
    const result = await codes.issue(binding);
    expect(result).toEqual({ ok: true, code: '000007', expiresAt: 2, resendAvailableAt: 1 });
    await codes.verify(binding, '000 007');

    expect(JSON.stringify([issued, verified])).not.toContain('000007');
    expect(JSON.stringify([issued, verified])).not.toContain(binding.target);
    expect(issued[0]).toEqual({
      accountId: '1001',
      flowId: 'flow-1',
      channel: 'email',
      bindingDigest: bindingDigest(key, binding),
      codeDigest: codeDigest(key, binding, '000007'),
    });
    expect(verified[0]?.codeDigest).toBe(issued[0]?.codeDigest);
  });

  it('turns a store refusal into a reason and a retry time', async () => {
    const { store } = recordingStore();
    store.issue = async () => ({ outcome: 'send-limit', retryAt: 99 });
    const codes = new CodeService(store, key);
    expect(await codes.issue(binding)).toEqual({ ok: false, reason: 'send-limit', retryAt: 99 });
  });

  it('refuses a short key and bindings it cannot send to', async () => {
    const { store } = recordingStore();
    expect(() => new CodeService(store, Buffer.alloc(16))).toThrow(/at least 32 bytes/);
    const codes = new CodeService(store, key);
    await expect(codes.issue({ ...binding, target: ' ' })).rejects.toThrow(/target/);
    await expect(codes.issue({ ...binding, purpose: 'other' as CodeBinding['purpose'] })).rejects.toThrow(
      /purpose/,
    );
    await expect(codes.verify({ ...binding, channel: 'fax' as CodeBinding['channel'] }, '1')).rejects.toThrow(
      /channel/,
    );
  });
});
