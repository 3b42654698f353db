import { randomBytes } from 'node:crypto';
import { environmentSchema, type ParsedEnvironment } from './schema.js';

export type PasswordPolicyName = 'seed' | 'nist';

export interface CodeRules {
  ttlMs: number;
  maxAttempts: number;
  resendCooldownMs: number;
  sendsPerHour: number;
  failuresPerHour: number;
  lockMs: number;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  logLevel: ParsedEnvironment['LOG_LEVEL'];
  redis: { url: string | null; keyPrefix: string };
  keys: { codeHmacKey: Buffer; documentKey: Buffer };
  codes: CodeRules;
  links: { resetTtlMs: number; passwordChangeTtlMs: number; resetEmailsPerHour: number };
  passwords: {
    policy: PasswordPolicyName;
    bcryptCost: number;
    historySize: number;
    reminderAfterDays: number;
    wrongPasswordLimit: number;
    wrongPasswordCooldownMs: number;
  };
  flows: { privilegedWindowMs: number; idleTimeoutMs: number };
  audit: { streamMaxLength: number };
}

export type ConfigResult =
  { ok: true; config: AppConfig; notices: string[] } | { ok: false; problems: string[] };

/**
 * Reads the environment once. A bad value yields one line per problem, naming the
 * variable and what it expects; the composition root prints them and stops.
 */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const given = present[name] === undefined ? 'not set' : 'invalid';
        return `${name}: ${given}; expected ${issue.message}`;
      }),
    };
  }
  const e = parsed.data;
  const notices: string[] = [];
  const problems: string[] = [];

  const secretKey = (
    name: 'CODE_HMAC_KEY' | 'DOCUMENT_ENCRYPTION_KEY',
    given: Buffer | undefined,
    why: string,
  ) => {
    if (given) return given;
    if (e.NODE_ENV === 'production') {
      problems.push(`${name}: not set; expected 32 random bytes as base64 (required in production)`);
      return Buffer.alloc(32);
    }
    notices.push(`${name} is not set: generated a random key for this process; ${why}.`);
    return randomBytes(32);
  };
  const codeHmacKey = secretKey('CODE_HMAC_KEY', e.CODE_HMAC_KEY, 'codes issued now stop working on restart');
  const documentKey = secretKey(
    'DOCUMENT_ENCRYPTION_KEY',
    e.DOCUMENT_ENCRYPTION_KEY,
    'document numbers stored now cannot be read after a restart',
  );
  if (e.NODE_ENV === 'production' && !e.REDIS_URL) {
    problems.push('REDIS_URL: not set; expected a redis:// or rediss:// URL (required in production)');
  }
  if (problems.length > 0) return { ok: false, problems };
  if (!e.REDIS_URL)
    notices.push('REDIS_URL is not set: using the in-process store; all data is lost on exit.');

  return {
    ok: true,
    notices,
    config: {
      env: e.NODE_ENV,
      logLevel: e.LOG_LEVEL,
      redis: { url: e.REDIS_URL ?? null, keyPrefix: e.REDIS_KEY_PREFIX },
      keys: { codeHmacKey, documentKey },
      codes: {
        ttlMs: e.CODE_TTL_SECONDS,
        maxAttempts: e.CODE_MAX_ATTEMPTS,
        resendCooldownMs: e.CODE_RESEND_COOLDOWN_SECONDS,
        sendsPerHour: e.CODE_SENDS_PER_HOUR,
        failuresPerHour: e.CODE_FAILURES_PER_HOUR,
        lockMs: e.CODE_LOCK_SECONDS,
      },
      links: {
        resetTtlMs: e.RESET_LINK_TTL_SECONDS,
        passwordChangeTtlMs: e.PASSWORD_LINK_TTL_SECONDS,
        resetEmailsPerHour: e.RESET_EMAILS_PER_HOUR,
      },
      passwords: {
        policy: e.PASSWORD_POLICY,
        bcryptCost: e.BCRYPT_COST,
        historySize: e.PASSWORD_HISTORY,
        reminderAfterDays: e.PASSWORD_REMINDER_DAYS,
        wrongPasswordLimit: e.WRONG_PASSWORD_LIMIT,
        wrongPasswordCooldownMs: e.WRONG_PASSWORD_COOLDOWN_SECONDS,
      },
      flows: { privilegedWindowMs: e.PRIVILEGED_WINDOW_SECONDS, idleTimeoutMs: e.FLOW_IDLE_TIMEOUT_SECONDS },
      audit: { streamMaxLength: e.AUDIT_STREAM_MAX_LENGTH },
    },
  };
}
