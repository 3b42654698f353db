import type { PasswordPolicyName } from '../../config/config.js';
import type { FieldError } from '../../../machines/shared/messages.js';
import { isCommonPassword } from './blocklist.js';
import { MAX_PASSWORD_BYTES, matchesAnyHash, normalizePassword, passwordByteLength } from './hashing.js';

/** SPEC §4. */
export const SEED_LENGTH = { min: 8, max: 20 } as const;
export const NIST_LENGTH = { min: 15, minWithSecondFactor: 8, max: 64 } as const;
const DEFAULT_HISTORY_SIZE = 3;

type PasswordRule =
  | 'length'
  | 'bytes'
  | 'characters'
  | 'spaces'
  | 'letter'
  | 'digit'
  | 'symbol'
  | 'common'
  | 'login-email'
  | 'context'
  | 'history'
  /** Refused by the company directory's own policy (src/ports/directory-passwords.ts). */
  | 'directory';

export interface PasswordFailure {
  rule: PasswordRule;
  /** What to tell the person: a catalog key, so a snapshot holding it holds no sentence. */
  error: FieldError;
}

/** `normalized` is what to hash and store. */
export type PasswordCheck = { ok: true; normalized: string } | { ok: false; failures: PasswordFailure[] };

export interface PasswordContext {
  policy: PasswordPolicyName;
  loginEmail?: string | null;
  /** bcrypt hashes of earlier passwords, newest first, starting with the current password's. */
  recentHashes?: readonly string[];
  /** nist only: a second factor lowers the minimum length to 8. */
  hasSecondFactor?: boolean;
  /** seed only: how many of `recentHashes` count (config.passwords.historySize). */
  historySize?: number;
  /**
   * Words an attacker who knows the person or the company tries first (see context-words.ts);
   * a password containing any of them, ignoring case, is refused.
   */
  contextWords?: readonly string[];
  /** Compares against the history; the app passes its hashing pool's, tests and seed the default. */
  matchesAny?: (password: string, hashes: readonly string[]) => Promise<boolean>;
}

const LETTER = /[A-Za-z]/;
const DIGIT = /[0-9]/;
const SYMBOL = /[!-/:-@[-`{-~]/;
const WHITESPACE = /\s/u;
const OUTSIDE_PRINTABLE_ASCII = /[^\x20-\x7E\s]/u;
// Controls, lone surrogates and line/paragraph separators; every other code point is allowed.
const NOT_PRINTABLE_UNICODE = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]/u;

function lengthFailure(length: number, min: number, max: number): PasswordFailure | undefined {
  if (length < min) return { rule: 'length', error: { key: 'password.tooShort', params: { min } } };
  if (length > max) return { rule: 'length', error: { key: 'password.tooLong', params: { max } } };
  return undefined;
}

function bytesFailure(password: string): PasswordFailure | undefined {
  return passwordByteLength(password) > MAX_PASSWORD_BYTES
    ? { rule: 'bytes', error: { key: 'password.bytes', params: { maxBytes: MAX_PASSWORD_BYTES } } }
    : undefined;
}

async function commonFailure(password: string): Promise<PasswordFailure | undefined> {
  return (await isCommonPassword(password))
    ? { rule: 'common', error: { key: 'password.common' } }
    : undefined;
}

function isLoginEmail(password: string, loginEmail: string | null | undefined): boolean {
  const email = loginEmail?.trim().toLowerCase();
  if (!email) return false;
  const at = email.lastIndexOf('@');
  const candidate = password.toLowerCase();
  return candidate === email || (at > 0 && candidate === email.slice(0, at));
}

function containsContextWord(password: string, words: readonly string[] | undefined): boolean {
  const candidate = password.normalize('NFKC').toLowerCase();
  return (words ?? []).some((word) => candidate.includes(word.normalize('NFKC').toLowerCase()));
}

function contextFailure(password: string, context: PasswordContext): PasswordFailure | undefined {
  if (isLoginEmail(password, context.loginEmail))
    return { rule: 'login-email', error: { key: 'password.loginEmail' } };
  return containsContextWord(password, context.contextWords)
    ? { rule: 'context', error: { key: 'password.context' } }
    : undefined;
}

/** bcrypt work, so it runs only for a password every cheap rule accepted. */
async function historyFailure(
  password: string,
  context: PasswordContext,
): Promise<PasswordFailure | undefined> {
  const historySize = context.historySize ?? DEFAULT_HISTORY_SIZE;
  const recent = (context.recentHashes ?? []).slice(0, historySize);
  const matchesAny = context.matchesAny ?? matchesAnyHash;
  if (recent.length === 0 || !(await matchesAny(password, recent))) return undefined;
  return { rule: 'history', error: { key: 'password.history', params: { count: historySize } } };
}

async function checkSeed(password: string, context: PasswordContext): Promise<PasswordFailure[]> {
  const failures: (PasswordFailure | undefined)[] = [
    lengthFailure([...password].length, SEED_LENGTH.min, SEED_LENGTH.max),
    bytesFailure(password),
    OUTSIDE_PRINTABLE_ASCII.test(password)
      ? { rule: 'characters', error: { key: 'password.asciiOnly' } }
      : undefined,
    WHITESPACE.test(password) ? { rule: 'spaces', error: { key: 'password.spaces' } } : undefined,
    LETTER.test(password) ? undefined : { rule: 'letter', error: { key: 'password.letter' } },
    DIGIT.test(password) ? undefined : { rule: 'digit', error: { key: 'password.digit' } },
    SYMBOL.test(password) ? undefined : { rule: 'symbol', error: { key: 'password.symbol' } },
    await commonFailure(password),
    contextFailure(password, context),
  ];
  const cheap = failures.filter((failure) => failure !== undefined);
  if (cheap.length > 0) return cheap;
  const history = await historyFailure(password, context);
  return history ? [history] : [];
}

async function checkNist(normalized: string, context: PasswordContext): Promise<PasswordFailure[]> {
  const min = context.hasSecondFactor ? NIST_LENGTH.minWithSecondFactor : NIST_LENGTH.min;
  const failures = [
    lengthFailure([...normalized].length, min, NIST_LENGTH.max),
    bytesFailure(normalized),
    NOT_PRINTABLE_UNICODE.test(normalized)
      ? { rule: 'characters' as const, error: { key: 'password.printable' } as const }
      : undefined,
    await commonFailure(normalized),
    contextFailure(normalized, context),
  ];
  return failures.filter((failure) => failure !== undefined);
}

/**
 * Checks a new password against the configured policy and reports every rule it breaks, so
 * the person can fix them all at once. The history rule costs one bcrypt comparison per
 * remembered hash, so it runs only once every cheap rule has passed: a guess that fails
 * anyway never buys bcrypt time. seed checks the password as typed (it must be ASCII);
 * nist checks its NFKC form, which is also what gets stored.
 */
export async function checkPassword(password: string, context: PasswordContext): Promise<PasswordCheck> {
  const normalized = context.policy === 'nist' ? normalizePassword(password) : password;
  const failures =
    context.policy === 'nist' ? await checkNist(normalized, context) : await checkSeed(password, context);
  return failures.length === 0 ? { ok: true, normalized } : { ok: false, failures };
}
