import { isIP } from 'node:net';
import { z } from 'zod';
import { directoryEnvironment } from './directory.js';
import { redisEnvironment } from './redis.js';

/** Also the local workbench's, which has no environment of its own for Slack. */
export const DEFAULT_SLACK_API_TIMEOUT_MS = 10_000;

/** Every variable the app reads, its default and its meaning; the README table mirrors this list. */

function seconds(defaultSeconds: number, min = 1, max = 31_536_000) {
  return z
    .string()
    .regex(/^\d+$/, `a whole number of seconds from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `at least ${min} seconds`).max(max, `at most ${max} seconds`))
    .default(defaultSeconds)
    .transform((value) => value * 1000);
}

function milliseconds(defaultMs: number, min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, `a whole number of milliseconds from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `at least ${min} ms`).max(max, `at most ${max} ms`))
    .default(defaultMs);
}

function count(defaultValue: number, min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, `a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `at least ${min}`).max(max, `at most ${max}`))
    .default(defaultValue);
}

/** A comma-separated list of ids, each matching the pattern; empty when unset. */
function idList(expected: string, pattern: RegExp) {
  return z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id.length > 0),
    )
    .pipe(z.array(z.string().regex(pattern, expected)))
    .default([]);
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * An interface to listen on: an IP address or a host name. Whether it belongs to this machine
 * shows only at listen (the CLIs never listen), but a URL or a host:port is refused here.
 */
function listenAddress(example: string) {
  return z
    .string()
    .refine(
      (text) => isIP(text) !== 0 || HOST_NAME.test(text),
      `an IP address or host name of this machine such as ${example}, without scheme, port or brackets`,
    );
}

/** A secret key given as base64 or base64url; length checked by the caller's refinement. */
const base64Key = z
  .string()
  .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'base64 text')
  .transform((text) => Buffer.from(text, 'base64'))
  .optional();

export const environmentSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], 'one of development, production, test')
    .default('development'),
  LOG_LEVEL: z
    .enum(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'one of fatal, error, warn, info, debug, trace, silent',
    )
    .default('info'),

  ...redisEnvironment,
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/i, '1 to 32 letters, digits, _ or -')
    .default('aa'),

  ...directoryEnvironment,

  CODE_HMAC_KEY: base64Key.refine((key) => key === undefined || key.length >= 32, 'at least 32 bytes'),
  DOCUMENT_ENCRYPTION_KEY: base64Key.refine(
    (key) => key === undefined || key.length === 32,
    'exactly 32 bytes',
  ),

  CODE_TTL_SECONDS: seconds(600, 60, 600),
  CODE_MAX_ATTEMPTS: count(5, 1, 10),
  CODE_RESEND_COOLDOWN_SECONDS: seconds(60, 1, 3600),
  CODE_SENDS_PER_HOUR: count(5, 1, 100),
  CODE_FAILURES_PER_HOUR: count(10, 1, 100),
  CODE_LOCK_SECONDS: seconds(900, 60, 86_400),

  RESET_LINK_TTL_SECONDS: seconds(172_800, 600, 604_800),
  PASSWORD_LINK_TTL_SECONDS: seconds(600, 60, 3600),
  RESET_EMAILS_PER_HOUR: count(3, 1, 20),
  SLACK_RESET_REQUESTS_PER_HOUR: count(5, 1, 100),

  PASSWORD_POLICY: z.enum(['seed', 'nist'], 'seed or nist').default('seed'),
  BCRYPT_COST: count(12, 4, 15),
  PASSWORD_HISTORY: count(3, 0, 10),
  PASSWORD_CONTEXT_WORDS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((word) => word.trim().normalize('NFKC').toLowerCase())
        .filter((word) => word.length > 0),
    )
    .pipe(z.array(z.string().min(2, 'words of at least 2 characters separated by commas')))
    .default([]),
  PASSWORD_REMINDER_DAYS: count(90, 1, 3650),
  PASSWORD_EXPIRY_REMINDER_DAYS: count(14, 1, 365),
  WRONG_PASSWORD_LIMIT: count(5, 1, 50),
  WRONG_PASSWORD_COOLDOWN_SECONDS: seconds(900, 60, 86_400),

  PRIVILEGED_WINDOW_SECONDS: seconds(300, 30, 3600),
  FLOW_IDLE_TIMEOUT_SECONDS: seconds(1800, 60, 86_400),

  AUDIT_STREAM_MAX_LENGTH: count(100_000, 100, 10_000_000),
  AUDIT_ACCOUNT_STREAM_MAX_LENGTH: count(200, 10, 100_000),
  AUDIT_ACCOUNT_STREAM_TTL_SECONDS: seconds(31_536_000, 86_400, 315_360_000),

  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'an smtp:// or smtps:// URL such as smtp://user:pass@host:587')
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(/^[^\r\n]*<?[^\s@<>]+@[^\s@<>]+>?$/, 'an address such as "Account Assistant <it@example.com>"')
    .optional(),
  SMS_WEBHOOK_URL: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/, 'an http:// or https:// URL')
    .optional(),
  SMS_WEBHOOK_SECRET: z.string().min(16, 'a shared secret of at least 16 characters').optional(),
  SMS_TIMEOUT_MS: milliseconds(5_000, 100, 60_000),
  DELIVERY_ATTEMPTS: count(8, 1, 25),
  DELIVERY_BACKOFF_MS: milliseconds(5_000, 10, 600_000),
  DELIVERY_WAIT_MS: milliseconds(8_000, 0, 30_000),
  DELIVERY_DEDUPE_SECONDS: seconds(86_400, 600, 2_592_000),
  DELIVERY_FAILED_RETENTION_SECONDS: seconds(1_209_600, 3600, 7_776_000),
  JOB_CONCURRENCY: count(5, 1, 100),
  JOB_PAYLOAD_KEY: base64Key.refine((key) => key === undefined || key.length === 32, 'exactly 32 bytes'),
  REVIEW_SLA_BUSINESS_DAYS_MIN: count(2, 1, 30),
  REVIEW_SLA_BUSINESS_DAYS_MAX: count(4, 1, 30),
  BUSINESS_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'an IANA time zone such as Europe/Berlin or UTC')
    .default('UTC'),
  BUSINESS_HOLIDAYS: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(,\d{4}-\d{2}-\d{2})*$/, 'dates as YYYY-MM-DD separated by commas')
    .transform((text) => text.split(','))
    .optional(),

  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-[\w-]+$/, 'a bot token starting with xoxb-')
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-[\w-]+$/, 'an app-level token starting with xapp-')
    .optional(),
  SLACK_SIGNING_SECRET: z
    .string()
    .regex(/^[0-9a-f]{16,128}$/i, 'the hexadecimal signing secret')
    .optional(),
  SLACK_MODE: z.enum(['socket', 'http'], 'socket or http').optional(),
  SLACK_API_URL: z
    .string()
    // The Web API client refuses a URL with user:password@ on every call, so it is refused here at once.
    .regex(
      /^https?:\/\/[^\s/@]+(?:\/\S*)?\/$/,
      'an http(s) URL ending in / such as https://slack.com/api/, without user:password@',
    )
    .optional(),
  SLACK_TEAM_ID: z
    .string()
    .regex(/^T[A-Z0-9]{2,}$/, 'a workspace id such as T0123ABCD')
    .optional(),
  SLACK_API_TIMEOUT_MS: milliseconds(DEFAULT_SLACK_API_TIMEOUT_MS, 500, 120_000),
  SUPPORT_USER_IDS: idList('Slack user ids such as U0123ABCD separated by commas', /^[UW][A-Z0-9]{2,}$/),
  SUPPORT_USERGROUP_ID: z
    .string()
    .regex(/^S[A-Z0-9]{2,}$/, 'a user group id such as S0123ABCD')
    .optional(),
  REVIEWER_USER_IDS: idList('Slack user ids such as U0123ABCD separated by commas', /^[UW][A-Z0-9]{2,}$/),
  REVIEWER_USERGROUP_ID: z
    .string()
    .regex(/^S[A-Z0-9]{2,}$/, 'a user group id such as S0123ABCD')
    .optional(),
  SUPPORT_CHANNEL_ID: z
    .string()
    .regex(/^[CG][A-Z0-9]{2,}$/, 'a channel id such as C0123ABCD')
    .optional(),
  REVIEW_CHANNEL_ID: z
    .string()
    .regex(/^[CG][A-Z0-9]{2,}$/, 'a channel id such as C0123ABCD')
    .optional(),
  AUDIT_CHANNEL_ID: z
    .string()
    .regex(/^[CG][A-Z0-9]{2,}$/, 'a channel id such as C0123ABCD')
    .optional(),

  DOCUMENT_STORE_DIR: z
    .string()
    .regex(/^[^\0]+$/, 'a directory path')
    .optional(),
  DOCUMENT_STORE_URL: z
    .string()
    .regex(
      /^s3:\/\/([^:@/\s]+:[^@/\s]+@)?[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^?\s]*)?(\?[^\s]*)?$/,
      'an s3:// URL such as s3://KEY:SECRET@bucket/prefix/?region=eu-west-1&endpoint=https://minio.internal:9000',
    )
    .optional(),
  DOCUMENT_RETENTION_DAYS: count(30, 1, 3650),

  PORT: count(3000, 0, 65_535),
  HOST: listenAddress('0.0.0.0 or 127.0.0.1').optional(),
  METRICS_PORT: count(9464, 0, 65_535),
  METRICS_HOST: listenAddress('127.0.0.1').default('127.0.0.1'),
  PUBLIC_BASE_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'the public http(s) URL of this server, without query')
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  TRUST_PROXY_HOPS: count(0, 0, 5),
  TOKEN_GUESSES_PER_IP_PER_HOUR: count(30, 1, 10_000),
  FORGOT_REQUESTS_PER_IP_PER_HOUR: count(20, 1, 10_000),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type ParsedEnvironment = z.output<typeof environmentSchema>;
