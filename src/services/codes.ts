import { createHmac, randomInt as cryptoRandomInt } from 'node:crypto';
import {
  CODE_CHANNELS,
  CODE_PURPOSES,
  type CodeBinding,
  type CodeStatus,
  type CodeStore,
  type StoreVerifyResult,
} from '../ports/code-store.js';

export type { CodeBinding, CodeStatus } from '../ports/code-store.js';

const CODE_LENGTH = 6;

const WELL_FORMED = new RegExp(`^[0-9]{${CODE_LENGTH}}$`);

export type IssueResult =
  | { ok: true; code: string; expiresAt: number; resendAvailableAt: number }
  | { ok: false; reason: 'cooldown' | 'send-limit' | 'locked'; retryAt: number };

export type VerifyResult = StoreVerifyResult;

/** Uniform integer in [0, max); crypto.randomInt unless a test pins it. */
export type RandomInt = (max: number) => number;

/**
 * One-time codes: makes them, keys them to everything they confirm and lets the store
 * keep the rules. The code itself exists only in the return value of `issue`, for the
 * caller to deliver; it is never stored, logged or kept here.
 */
export class CodeService {
  private readonly randomInt: RandomInt;

  constructor(
    private readonly store: CodeStore,
    private readonly hmacKey: Buffer,
    options: { randomInt?: RandomInt } = {},
  ) {
    if (hmacKey.length < 32) throw new Error('the code HMAC key must be at least 32 bytes');
    this.randomInt = options.randomInt ?? ((max) => cryptoRandomInt(max));
  }

  /** A new code for the binding; issuing again for the same flow is the resend. */
  async issue(binding: CodeBinding): Promise<IssueResult> {
    assertValidBinding(binding);
    const code = generateCode(this.randomInt);
    const result = await this.store.issue({
      accountId: binding.accountId,
      flowId: binding.flowId,
      channel: binding.channel,
      bindingDigest: bindingDigest(this.hmacKey, binding),
      codeDigest: codeDigest(this.hmacKey, binding, code),
    });
    if (result.outcome === 'issued') {
      return { ok: true, code, expiresAt: result.expiresAt, resendAvailableAt: result.resendAvailableAt };
    }
    return { ok: false, reason: result.outcome, retryAt: result.retryAt };
  }

  /**
   * Checks what the person typed. Anything that is not the code, including text that is
   * not six digits, is a wrong try: the modal validates the format before it gets here.
   */
  async verify(binding: CodeBinding, entered: string): Promise<VerifyResult> {
    assertValidBinding(binding);
    return this.store.verify({
      accountId: binding.accountId,
      flowId: binding.flowId,
      codeDigest: codeDigest(this.hmacKey, binding, normalizeCodeInput(entered)),
    });
  }

  /** When the live code for this binding expires and when a resend is allowed; null if none. */
  async status(binding: CodeBinding): Promise<CodeStatus | null> {
    assertValidBinding(binding);
    return this.store.status(binding.accountId, binding.flowId, bindingDigest(this.hmacKey, binding));
  }

  /** Kills every live code of the account (password reset, "This wasn't me"). */
  revokeAll(accountId: string): Promise<number> {
    return this.store.revokeAll(accountId);
  }

  /** When the account's code lock ends; null when codes are not locked. */
  lockedUntil(accountId: string): Promise<number | null> {
    return this.store.lockedUntil(accountId);
  }

  /** Support: lifts a code lock and clears the account's failure count and lock history. */
  unlock(accountId: string): Promise<void> {
    return this.store.unlock(accountId);
  }
}

/** Six digits, uniform, leading zeros kept. */
export function generateCode(randomInt: RandomInt): string {
  const value = randomInt(10 ** CODE_LENGTH);
  if (!Number.isInteger(value) || value < 0 || value >= 10 ** CODE_LENGTH) {
    throw new Error('random source returned a value outside the code range');
  }
  return String(value).padStart(CODE_LENGTH, '0');
}

/** People paste codes as "123 456" or "123-456"; spacing and dashes are not part of it. */
export function normalizeCodeInput(entered: string): string {
  return entered.replace(/[\s-]/g, '');
}

/** For form validation before a try is spent. */
export function isWellFormedCode(entered: string): boolean {
  return WELL_FORMED.test(normalizeCodeInput(entered));
}

/**
 * The stored form of a code: keyed, and bound to account, flow, purpose, target and
 * channel, so a code sent to one address can never confirm another. A JSON array is
 * the separator: no field value can shift into its neighbour.
 */
export function codeDigest(key: Buffer, binding: CodeBinding, code: string): string {
  return keyedDigest(key, ['code.v1', ...bindingFields(binding), code]);
}

/** Tells a resend of the same code request from a request for something else. */
export function bindingDigest(key: Buffer, binding: CodeBinding): string {
  return keyedDigest(key, ['binding.v1', ...bindingFields(binding)]);
}

function bindingFields(binding: CodeBinding): string[] {
  return [binding.accountId, binding.flowId, binding.purpose, binding.target, binding.channel];
}

function keyedDigest(key: Buffer, fields: string[]): string {
  return createHmac('sha256', key).update(JSON.stringify(fields)).digest('base64url');
}

function assertValidBinding(binding: CodeBinding): void {
  if (!(CODE_PURPOSES as readonly string[]).includes(binding.purpose)) {
    throw new Error(`unknown code purpose: ${binding.purpose}`);
  }
  if (!(CODE_CHANNELS as readonly string[]).includes(binding.channel)) {
    throw new Error(`unknown code channel: ${binding.channel}`);
  }
  if (binding.target.trim() === '') throw new Error('a code needs a target to be sent to');
}
