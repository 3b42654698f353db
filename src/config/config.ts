import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { companionProblems } from './companions.js';
import { directoryConfig, type DirectoryConfig } from './directory.js';
import { redisTopology, type RedisTopology } from './redis.js';
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
  /** Null for the in-process store. */
  redis: { topology: RedisTopology | null; keyPrefix: string };
  /** Where accounts and passwords live: the embedded store, or an LDAP directory. */
  directory: DirectoryConfig;
  keys: { codeHmacKey: Buffer; documentKey: Buffer };
  codes: CodeRules;
  links: {
    resetTtlMs: number;
    passwordChangeTtlMs: number;
    resetEmailsPerHour: number;
    /** Reset requests one Slack user may make per hour, whatever accounts they name. */
    slackResetRequestsPerHour: number;
  };
  passwords: {
    policy: PasswordPolicyName;
    bcryptCost: number;
    historySize: number;
    /** Company and product names no password may contain (lower case). */
    contextWords: string[];
    reminderAfterDays: number;
    /** With a directory maximum password age: the reminder comes this many days before expiry. */
    expiryReminderDays: number;
    wrongPasswordLimit: number;
    wrongPasswordCooldownMs: number;
  };
  flows: { privilegedWindowMs: number; idleTimeoutMs: number };
  audit: { streamMaxLength: number; accountStreamMaxLength: number; accountStreamTtlMs: number };
  documents: DocumentsConfig;
  notifications: NotificationConfig;
  /** Null when no bot token is set: the app runs without Slack. */
  slack: SlackConfig | null;
  web: WebConfig;
  /** Where Prometheus scrapes `/metrics`: its own port, loopback unless the operator says otherwise. */
  metrics: { host: string; port: number };
}

export interface SlackConfig {
  mode: 'socket' | 'http';
  botToken: string;
  appToken: string | null;
  signingSecret: string | null;
  apiUrl: string | null;
  teamId: string;
  /** One Web API attempt; past it the call fails instead of holding its request for minutes. */
  apiTimeoutMs: number;
  supportUserIds: string[];
  supportUsergroupId: string | null;
  reviewerUserIds: string[];
  reviewerUsergroupId: string | null;
  supportChannelId: string | null;
  reviewChannelId: string | null;
  auditChannelId: string | null;
}

/** An S3-compatible bucket for the document images (DOCUMENT_STORE=s3). */
export interface S3DocumentStoreOptions {
  bucket: string;
  /** Prepended to every key, e.g. `account-assistant/`; empty for the bucket root. */
  prefix: string;
  region: string;
  /** An S3-compatible server (MinIO, Ceph, …); null for AWS itself. */
  endpoint: string | null;
  /** Null: the SDK's default chain (instance role, web identity, shared config). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
}

interface DocumentsConfig {
  store: { kind: 'directory'; path: string } | ({ kind: 's3' } & S3DocumentStoreOptions);
  /** How long the image of an approved submission is kept after the decision. */
  retentionMs: number;
}

export interface WebConfig {
  port: number;
  host: string;
  /** Links in mail and Slack are built from this, never from a request's Host header. */
  publicBaseUrl: string;
  trustProxyHops: number;
  tokenGuessesPerIpPerHour: number;
  forgotRequestsPerIpPerHour: number;
}

interface NotificationConfig {
  /** Null: mail goes to the development outbox. */
  mail: { smtpUrl: string | null; from: string };
  /** Null URL: texts go to the development outbox. */
  sms: { webhookUrl: string | null; webhookSecret: string | null; timeoutMs: number };
  delivery: {
    attempts: number;
    backoffMs: number;
    /** How long an interactive send waits for the first attempt before answering the person. */
    interactiveWaitMs: number;
    /** How long a delivered job id is remembered so the same event never sends twice. */
    dedupeMs: number;
    /** How long a job that used up its attempts stays in the failed set. */
    failedRetentionMs: number;
    concurrency: number;
    /** AES-256-GCM key for job payloads (a queued mail can hold a code). */
    payloadKey: Buffer;
  };
  review: { slaMinBusinessDays: number; slaMaxBusinessDays: number; timeZone: string; holidays: string[] };
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
  const given = Object.keys(present).filter((name) => Object.hasOwn(environmentSchema.shape, name));
  // A .env saved with Windows line endings ends every value in \r: say so, not "expected a number".
  const garbled = given.filter((name) => holdsControlCharacter(present[name] ?? ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success || garbled.length > 0) {
    const invalid = (parsed.error?.issues ?? []).map((issue) => ({
      name: issue.path.length > 0 ? String(issue.path[0]) : '(environment)',
      expected: issue.message,
    }));
    return {
      ok: false,
      problems: [
        ...garbled.map(
          (name) =>
            `${name}: invalid; it holds a control character such as a carriage return (a file saved with Windows line endings?); remove it`,
        ),
        ...invalid
          .filter(({ name }) => !garbled.includes(name))
          .map(
            ({ name, expected }) =>
              `${name}: ${present[name] === undefined ? 'not set' : 'invalid'}; expected ${expected}`,
          ),
      ],
    };
  }
  const e = parsed.data;
  const notices: string[] = [];
  const problems = companionProblems(given, e);

  const secretKey = (
    name: 'CODE_HMAC_KEY' | 'DOCUMENT_ENCRYPTION_KEY' | 'JOB_PAYLOAD_KEY',
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
  const payloadKey = secretKey(
    'JOB_PAYLOAD_KEY',
    e.JOB_PAYLOAD_KEY,
    'mail and texts still queued from an earlier run cannot be sent',
  );
  const problemsBefore = problems.length;
  const redis = redisTopology(e, problems);
  if (e.NODE_ENV === 'production' && redis === null && problems.length === problemsBefore) {
    problems.push(
      'REDIS_URL: not set; expected a redis:// or rediss:// URL, or REDIS_SENTINELS or REDIS_CLUSTER_NODES (required in production)',
    );
  }
  problems.push(...notificationProblems(e));
  const documentStore = documentStoreConfig(e, problems, notices);
  const slack = slackConfig(e, problems);
  const directory = directoryConfig(e, e.NODE_ENV === 'production', problems);
  if (e.NODE_ENV === 'production' && !e.PUBLIC_BASE_URL?.startsWith('https://')) {
    problems.push(
      'PUBLIC_BASE_URL: not set or not https; expected the https:// URL people open (required in production)',
    );
  }
  if (problems.length > 0) return { ok: false, problems };
  if (redis === null)
    notices.push('REDIS_URL is not set: using the in-process store; all data is lost on exit.');
  if (!e.SMTP_URL)
    notices.push('SMTP_URL is not set: mail goes to the development outbox and is never sent.');
  if (!e.SMS_WEBHOOK_URL)
    notices.push('SMS_WEBHOOK_URL is not set: texts go to the development outbox and are never sent.');

  return {
    ok: true,
    notices,
    config: {
      env: e.NODE_ENV,
      logLevel: e.LOG_LEVEL,
      redis: { topology: redis, keyPrefix: e.REDIS_KEY_PREFIX },
      directory,
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
        slackResetRequestsPerHour: e.SLACK_RESET_REQUESTS_PER_HOUR,
      },
      passwords: {
        policy: e.PASSWORD_POLICY,
        bcryptCost: e.BCRYPT_COST,
        historySize: e.PASSWORD_HISTORY,
        contextWords: e.PASSWORD_CONTEXT_WORDS,
        reminderAfterDays: e.PASSWORD_REMINDER_DAYS,
        expiryReminderDays: e.PASSWORD_EXPIRY_REMINDER_DAYS,
        wrongPasswordLimit: e.WRONG_PASSWORD_LIMIT,
        wrongPasswordCooldownMs: e.WRONG_PASSWORD_COOLDOWN_SECONDS,
      },
      flows: { privilegedWindowMs: e.PRIVILEGED_WINDOW_SECONDS, idleTimeoutMs: e.FLOW_IDLE_TIMEOUT_SECONDS },
      audit: {
        streamMaxLength: e.AUDIT_STREAM_MAX_LENGTH,
        accountStreamMaxLength: e.AUDIT_ACCOUNT_STREAM_MAX_LENGTH,
        accountStreamTtlMs: e.AUDIT_ACCOUNT_STREAM_TTL_SECONDS,
      },
      documents: { store: documentStore, retentionMs: e.DOCUMENT_RETENTION_DAYS * 24 * 60 * 60 * 1000 },
      notifications: {
        mail: { smtpUrl: e.SMTP_URL ?? null, from: e.MAIL_FROM ?? DEVELOPMENT_MAIL_FROM },
        sms: {
          webhookUrl: e.SMS_WEBHOOK_URL ?? null,
          webhookSecret: e.SMS_WEBHOOK_SECRET ?? null,
          timeoutMs: e.SMS_TIMEOUT_MS,
        },
        delivery: {
          attempts: e.DELIVERY_ATTEMPTS,
          backoffMs: e.DELIVERY_BACKOFF_MS,
          interactiveWaitMs: e.DELIVERY_WAIT_MS,
          dedupeMs: e.DELIVERY_DEDUPE_SECONDS,
          failedRetentionMs: e.DELIVERY_FAILED_RETENTION_SECONDS,
          concurrency: e.JOB_CONCURRENCY,
          payloadKey,
        },
        review: {
          slaMinBusinessDays: e.REVIEW_SLA_BUSINESS_DAYS_MIN,
          slaMaxBusinessDays: e.REVIEW_SLA_BUSINESS_DAYS_MAX,
          timeZone: e.BUSINESS_TIME_ZONE,
          holidays: e.BUSINESS_HOLIDAYS ?? [],
        },
      },
      slack,
      metrics: { host: e.METRICS_HOST, port: e.METRICS_PORT },
      web: {
        port: e.PORT,
        // The development workbench acts as anyone without a password: never on a shared interface by default.
        host: e.HOST ?? (e.NODE_ENV === 'development' ? '127.0.0.1' : '0.0.0.0'),
        publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`,
        trustProxyHops: e.TRUST_PROXY_HOPS,
        tokenGuessesPerIpPerHour: e.TOKEN_GUESSES_PER_IP_PER_HOUR,
        forgotRequestsPerIpPerHour: e.FORGOT_REQUESTS_PER_IP_PER_HOUR,
      },
    },
  };
}

function holdsControlCharacter(value: string): boolean {
  return [...value].some((character) => character < ' ' || character === '\u007f');
}

const DEVELOPMENT_MAIL_FROM = 'Account Assistant <account-assistant@localhost>';

/** Rules that tie notification variables together; an outbox in production would swallow codes. */
function notificationProblems(e: ParsedEnvironment): string[] {
  const problems: string[] = [];
  if (e.SMS_WEBHOOK_URL && !e.SMS_WEBHOOK_SECRET) {
    problems.push(
      'SMS_WEBHOOK_SECRET: not set; expected a shared secret of at least 16 characters (required when SMS_WEBHOOK_URL is set)',
    );
  }
  if (e.REVIEW_SLA_BUSINESS_DAYS_MIN > e.REVIEW_SLA_BUSINESS_DAYS_MAX) {
    problems.push(
      `REVIEW_SLA_BUSINESS_DAYS_MIN: invalid; expected at most REVIEW_SLA_BUSINESS_DAYS_MAX (${e.REVIEW_SLA_BUSINESS_DAYS_MAX})`,
    );
  }
  if (e.NODE_ENV === 'production') {
    if (!e.SMTP_URL)
      problems.push('SMTP_URL: not set; expected an smtp:// or smtps:// URL (required in production)');
    if (!e.MAIL_FROM) problems.push('MAIL_FROM: not set; expected a sender address (required in production)');
    if (!e.SMS_WEBHOOK_URL) {
      problems.push('SMS_WEBHOOK_URL: not set; expected an http:// or https:// URL (required in production)');
    }
  }
  return problems;
}

/**
 * Where identity document images rest: an S3-compatible bucket (several instances), else a
 * local directory. Production names one explicitly; development uses a directory under the
 * system's temp folder and says so.
 */
function documentStoreConfig(
  e: ParsedEnvironment,
  problems: string[],
  notices: string[],
): DocumentsConfig['store'] {
  if (e.DOCUMENT_STORE_URL && e.DOCUMENT_STORE_DIR) {
    problems.push(
      'DOCUMENT_STORE_DIR: invalid; expected only one of DOCUMENT_STORE_DIR and DOCUMENT_STORE_URL',
    );
  }
  if (e.DOCUMENT_STORE_URL) return { kind: 's3', ...s3Options(e.DOCUMENT_STORE_URL, problems) };
  if (e.DOCUMENT_STORE_DIR) return { kind: 'directory', path: e.DOCUMENT_STORE_DIR };
  if (e.NODE_ENV === 'production') {
    problems.push(
      'DOCUMENT_STORE_DIR: not set; expected a directory for identity document images, or DOCUMENT_STORE_URL (required in production)',
    );
  }
  const path = join(tmpdir(), 'account-assistant-documents');
  notices.push(`DOCUMENT_STORE_DIR is not set: identity document images are kept in ${path}.`);
  return { kind: 'directory', path };
}

function s3Options(text: string, problems: string[]): S3DocumentStoreOptions {
  const url = new URL(text);
  const prefix = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
  const endpoint = url.searchParams.get('endpoint');
  if (endpoint !== null && !/^https?:\/\/[^\s/]+\/?$/.test(endpoint)) {
    problems.push(
      'DOCUMENT_STORE_URL: invalid; expected endpoint= to be an http(s) origin such as https://minio.internal:9000',
    );
  }
  return {
    bucket: url.hostname,
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    region: url.searchParams.get('region') ?? 'us-east-1',
    endpoint,
    credentials: url.username
      ? { accessKeyId: decodeURIComponent(url.username), secretAccessKey: decodeURIComponent(url.password) }
      : null,
  };
}

/** Slack is optional; once a bot token is given, the mode's own credential and the workspace are required. */
function slackConfig(e: ParsedEnvironment, problems: string[]): SlackConfig | null {
  if (!e.SLACK_BOT_TOKEN) return null;
  const mode = e.SLACK_MODE ?? (e.SLACK_APP_TOKEN ? 'socket' : 'http');
  if (mode === 'socket' && !e.SLACK_APP_TOKEN) {
    problems.push('SLACK_APP_TOKEN: not set; expected an xapp- token (required for SLACK_MODE=socket)');
  }
  if (mode === 'http' && !e.SLACK_SIGNING_SECRET) {
    problems.push(
      'SLACK_SIGNING_SECRET: not set; expected the signing secret (required for SLACK_MODE=http)',
    );
  }
  if (!e.SLACK_TEAM_ID) {
    problems.push(
      'SLACK_TEAM_ID: not set; expected the workspace id the app serves (required with SLACK_BOT_TOKEN)',
    );
  }
  return {
    mode,
    botToken: e.SLACK_BOT_TOKEN,
    appToken: e.SLACK_APP_TOKEN ?? null,
    signingSecret: e.SLACK_SIGNING_SECRET ?? null,
    apiUrl: e.SLACK_API_URL ?? null,
    teamId: e.SLACK_TEAM_ID ?? '',
    apiTimeoutMs: e.SLACK_API_TIMEOUT_MS,
    supportUserIds: e.SUPPORT_USER_IDS,
    supportUsergroupId: e.SUPPORT_USERGROUP_ID ?? null,
    reviewerUserIds: e.REVIEWER_USER_IDS,
    reviewerUsergroupId: e.REVIEWER_USERGROUP_ID ?? null,
    supportChannelId: e.SUPPORT_CHANNEL_ID ?? null,
    reviewChannelId: e.REVIEW_CHANNEL_ID ?? null,
    auditChannelId: e.AUDIT_CHANNEL_ID ?? null,
  };
}
