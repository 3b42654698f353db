import { randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';
import { CorruptRecordError } from '../../core/errors.js';
import type { BcryptRunner } from './hashing-pool.js';

/** bcrypt reads only the first 72 bytes of its input; longer passwords are refused, never cut. */
export const MAX_PASSWORD_BYTES = 72;

const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

export function passwordByteLength(password: string): number {
  return Buffer.byteLength(password, 'utf8');
}

/**
 * Every password is NFKC-normalised before it is hashed or compared, whatever the policy:
 * the nist policy stores NFKC forms, seed passwords are ASCII (on which NFKC changes
 * nothing), so a later switch of policy never locks anyone out.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export class PasswordTooLongError extends Error {
  readonly code = 'PASSWORD_TOO_LONG';
  constructor() {
    super(`Passwords longer than ${MAX_PASSWORD_BYTES} UTF-8 bytes cannot be stored without truncation.`);
    this.name = 'PasswordTooLongError';
  }
}

interface PasswordVerification {
  ok: boolean;
  /** The hash was made with a lower cost than configured: store `hash(password)` in its place. */
  needsRehash: boolean;
}

export interface PasswordHasher {
  readonly cost: number;
  /** Throws PasswordTooLongError above 72 bytes; run the policy check first. */
  hash(password: string): Promise<string>;
  verify(password: string, storedHash: string): Promise<PasswordVerification>;
  /** For an unknown account: costs as much time as `verify` and is never true. */
  verifyAgainstDummy(password: string): Promise<false>;
  /** For password history: whether the password matches any of the given hashes. */
  matchesAny(password: string, hashes: readonly string[]): Promise<boolean>;
}

function assertBcryptHash(storedHash: string): void {
  // bcrypt.compare answers false for a mangled hash, which would look like a wrong password.
  if (!BCRYPT_HASH.test(storedHash)) throw new CorruptRecordError('password hash', 'not a bcrypt hash');
}

/** bcrypt's own async API: for tools and tests; the app runs bcrypt in its hashing pool. */
const inProcessBcrypt: BcryptRunner = {
  hash: (password, cost) => bcrypt.hash(password, cost),
  compare: (password, hash) => bcrypt.compare(password, hash),
};

/** Needs no cost, so the policy's history rule can use it without a configured hasher. */
export async function matchesAnyHash(
  password: string,
  hashes: readonly string[],
  runner: BcryptRunner = inProcessBcrypt,
): Promise<boolean> {
  hashes.forEach(assertBcryptHash);
  const normalized = normalizePassword(password);
  // A longer password was never stored, and its first 72 bytes could match one that was.
  if (passwordByteLength(normalized) > MAX_PASSWORD_BYTES) return false;
  const matches = await Promise.all(hashes.map((stored) => runner.compare(normalized, stored)));
  return matches.includes(true);
}

export function createPasswordHasher(options: { bcryptCost: number; runner?: BcryptRunner }): PasswordHasher {
  const cost = options.bcryptCost;
  const runner = options.runner ?? inProcessBcrypt;
  let dummyHash: Promise<string> | undefined;

  const compareWithDummy = async (password: string): Promise<false> => {
    dummyHash ??= runner.hash(randomBytes(18).toString('base64'), cost);
    await runner.compare(password, await dummyHash);
    return false;
  };

  return {
    cost,

    async hash(password) {
      const normalized = normalizePassword(password);
      if (passwordByteLength(normalized) > MAX_PASSWORD_BYTES) throw new PasswordTooLongError();
      return runner.hash(normalized, cost);
    },

    async verify(password, storedHash) {
      assertBcryptHash(storedHash);
      const normalized = normalizePassword(password);
      if (passwordByteLength(normalized) > MAX_PASSWORD_BYTES) {
        // Its first 72 bytes could match a stored hash; spend the same time and refuse.
        await compareWithDummy(normalized);
        return { ok: false, needsRehash: false };
      }
      const ok = await runner.compare(normalized, storedHash);
      return { ok, needsRehash: ok && bcrypt.getRounds(storedHash) < cost };
    },

    verifyAgainstDummy(password) {
      return compareWithDummy(normalizePassword(password));
    },

    matchesAny: (password, hashes) => matchesAnyHash(password, hashes, runner),
  };
}
