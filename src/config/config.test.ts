import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives SPEC §4 defaults and says which keys it generated', () => {
    const result = loadConfig({});
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.codes).toEqual({
      ttlMs: 600_000,
      maxAttempts: 5,
      resendCooldownMs: 60_000,
      sendsPerHour: 5,
      failuresPerHour: 10,
      lockMs: 900_000,
    });
    expect(result.config.links).toEqual({
      resetTtlMs: 172_800_000,
      passwordChangeTtlMs: 600_000,
      resetEmailsPerHour: 3,
      slackResetRequestsPerHour: 5,
    });
    expect(result.config.passwords.bcryptCost).toBe(12);
    expect(result.config.passwords.policy).toBe('seed');
    expect(result.config.flows).toEqual({ privilegedWindowMs: 300_000, idleTimeoutMs: 1_800_000 });
    expect(result.config.keys.codeHmacKey).toHaveLength(32);
    expect(result.notices.some((line) => line.startsWith('CODE_HMAC_KEY is not set'))).toBe(true);
    expect(result.notices.some((line) => line.startsWith('REDIS_URL is not set'))).toBe(true);
  });

  it('names every bad variable on its own line with what it expects', () => {
    const result = loadConfig({
      CODE_TTL_SECONDS: 'ten',
      BCRYPT_COST: '99',
      PASSWORD_POLICY: 'strong',
      REDIS_URL: 'http://localhost',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(4);
    expect(result.problems).toContain('BCRYPT_COST: invalid; expected at most 15');
    expect(result.problems).toContain('PASSWORD_POLICY: invalid; expected seed or nist');
    expect(result.problems.find((line) => line.startsWith('CODE_TTL_SECONDS:'))).toMatch(
      /whole number of seconds/,
    );
    expect(result.problems.find((line) => line.startsWith('REDIS_URL:'))).toMatch(/redis:\/\//);
  });

  it('says a value holds a carriage return instead of what it expects, without echoing it', () => {
    const result = loadConfig({ PORT: '3000\r', SLACK_BOT_TOKEN: 'xoxb-1-secret\r', BCRYPT_COST: '99' });
    expect(result.ok ? [] : result.problems).toEqual([
      'PORT: invalid; it holds a control character such as a carriage return (a file saved with Windows line endings?); remove it',
      'SLACK_BOT_TOKEN: invalid; it holds a control character such as a carriage return (a file saved with Windows line endings?); remove it',
      'BCRYPT_COST: invalid; expected at most 15',
    ]);
  });

  it('keeps a one-time code valid for at most 10 minutes (security.md)', () => {
    const tooLong = loadConfig({ CODE_TTL_SECONDS: '601' });
    expect(tooLong.ok ? [] : tooLong.problems).toEqual([
      'CODE_TTL_SECONDS: invalid; expected at most 600 seconds',
    ]);
    const longest = loadConfig({ CODE_TTL_SECONDS: '600' });
    expect(longest.ok && longest.config.codes.ttlMs).toBe(600_000);
  });

  it('requires keys and Redis in production and never generates them there', () => {
    const result = loadConfig({ NODE_ENV: 'production' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((line) => line.split(':')[0])).toEqual([
      'CODE_HMAC_KEY',
      'DOCUMENT_ENCRYPTION_KEY',
      'JOB_PAYLOAD_KEY',
      'REDIS_URL',
      'SMTP_URL',
      'MAIL_FROM',
      'SMS_WEBHOOK_URL',
      'DOCUMENT_STORE_DIR',
      'PUBLIC_BASE_URL',
    ]);
  });

  it('accepts keys given as base64 and checks their length', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const good = loadConfig({
      NODE_ENV: 'production',
      REDIS_URL: 'redis://r:6379',
      CODE_HMAC_KEY: key,
      DOCUMENT_ENCRYPTION_KEY: key,
      JOB_PAYLOAD_KEY: key,
      SMTP_URL: 'smtps://mailer:secret@mail.example.com:465',
      MAIL_FROM: 'Account Assistant <it@example.com>',
      SMS_WEBHOOK_URL: 'https://sms.example.com/send',
      SMS_WEBHOOK_SECRET: 'a-long-shared-secret',
      PUBLIC_BASE_URL: 'https://assist.example.com',
      DOCUMENT_STORE_DIR: '/var/lib/account-assistant/documents',
    });
    expect(good.ok).toBe(true);
    const short = loadConfig({ DOCUMENT_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') });
    expect(short.ok ? [] : short.problems).toEqual([
      'DOCUMENT_ENCRYPTION_KEY: invalid; expected exactly 32 bytes',
    ]);
  });

  describe('document store', () => {
    it('reads an S3-compatible bucket from DOCUMENT_STORE_URL, credentials and endpoint included', () => {
      const result = loadConfig({
        DOCUMENT_STORE_URL:
          's3://AKIA1:s%2Fcret@id-docs/assistant/prod?region=eu-west-1&endpoint=https://minio.internal:9000',
      });
      if (!result.ok) throw new Error(result.problems.join('\n'));
      expect(result.config.documents.store).toEqual({
        kind: 's3',
        bucket: 'id-docs',
        prefix: 'assistant/prod/',
        region: 'eu-west-1',
        endpoint: 'https://minio.internal:9000',
        credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's/cret' },
      });
      expect(result.config.documents.retentionMs).toBe(30 * 24 * 60 * 60 * 1000);
    });

    it('uses a local directory, a temp one in development with a notice, and refuses both at once', () => {
      const dir = loadConfig({ DOCUMENT_STORE_DIR: '/srv/docs', DOCUMENT_RETENTION_DAYS: '7' });
      if (!dir.ok) throw new Error(dir.problems.join('\n'));
      expect(dir.config.documents).toEqual({
        store: { kind: 'directory', path: '/srv/docs' },
        retentionMs: 7 * 86_400_000,
      });
      const fallback = loadConfig({});
      if (!fallback.ok) throw new Error(fallback.problems.join('\n'));
      expect(fallback.config.documents.store.kind).toBe('directory');
      expect(fallback.notices.some((line) => line.startsWith('DOCUMENT_STORE_DIR is not set'))).toBe(true);
      const both = loadConfig({ DOCUMENT_STORE_DIR: '/srv/docs', DOCUMENT_STORE_URL: 's3://bucket1' });
      expect(both.ok ? [] : both.problems).toEqual([
        'DOCUMENT_STORE_DIR: invalid; expected only one of DOCUMENT_STORE_DIR and DOCUMENT_STORE_URL',
      ]);
      const bad = loadConfig({ DOCUMENT_STORE_URL: 'https://bucket.example.com' });
      expect(bad.ok ? [] : bad.problems[0]).toMatch(/^DOCUMENT_STORE_URL: invalid; expected an s3:\/\/ URL/);
    });
  });

  describe('notifications', () => {
    it('defaults to the development outboxes and says so', () => {
      const result = loadConfig({});
      if (!result.ok) throw new Error(result.problems.join('\n'));
      const { mail, sms, delivery, review } = result.config.notifications;
      expect(mail.smtpUrl).toBeNull();
      expect(mail.from).toMatch(/@/);
      expect(sms).toEqual({ webhookUrl: null, webhookSecret: null, timeoutMs: 5_000 });
      expect(delivery).toMatchObject({
        attempts: 8,
        backoffMs: 5_000,
        interactiveWaitMs: 8_000,
        dedupeMs: 86_400_000,
        failedRetentionMs: 1_209_600_000,
        concurrency: 5,
      });
      expect(delivery.payloadKey).toHaveLength(32);
      expect(review).toEqual({ slaMinBusinessDays: 2, slaMaxBusinessDays: 4, timeZone: 'UTC', holidays: [] });
      expect(result.notices.some((line) => line.startsWith('SMTP_URL is not set'))).toBe(true);
      expect(result.notices.some((line) => line.startsWith('SMS_WEBHOOK_URL is not set'))).toBe(true);
      expect(result.notices.some((line) => line.startsWith('JOB_PAYLOAD_KEY is not set'))).toBe(true);
    });

    it('reads SMTP, webhook, delivery and review settings', () => {
      const result = loadConfig({
        SMTP_URL: 'smtp://user:pass@127.0.0.1:2525',
        MAIL_FROM: 'IT <it@example.com>',
        SMS_WEBHOOK_URL: 'http://127.0.0.1:9000/sms',
        SMS_WEBHOOK_SECRET: '0123456789abcdef',
        SMS_TIMEOUT_MS: '750',
        DELIVERY_ATTEMPTS: '3',
        DELIVERY_BACKOFF_MS: '20',
        DELIVERY_WAIT_MS: '0',
        REVIEW_SLA_BUSINESS_DAYS_MIN: '3',
        REVIEW_SLA_BUSINESS_DAYS_MAX: '3',
        BUSINESS_TIME_ZONE: 'Asia/Shanghai',
        BUSINESS_HOLIDAYS: '2026-01-01,2026-02-17',
      });
      if (!result.ok) throw new Error(result.problems.join('\n'));
      const { mail, sms, delivery, review } = result.config.notifications;
      expect(mail).toEqual({ smtpUrl: 'smtp://user:pass@127.0.0.1:2525', from: 'IT <it@example.com>' });
      expect(sms).toEqual({
        webhookUrl: 'http://127.0.0.1:9000/sms',
        webhookSecret: '0123456789abcdef',
        timeoutMs: 750,
      });
      expect(delivery).toMatchObject({ attempts: 3, backoffMs: 20, interactiveWaitMs: 0 });
      expect(review).toEqual({
        slaMinBusinessDays: 3,
        slaMaxBusinessDays: 3,
        timeZone: 'Asia/Shanghai',
        holidays: ['2026-01-01', '2026-02-17'],
      });
    });

    it('requires the webhook secret with the webhook URL and a sane review window', () => {
      const result = loadConfig({
        SMS_WEBHOOK_URL: 'https://sms.example.com/send',
        REVIEW_SLA_BUSINESS_DAYS_MIN: '5',
        REVIEW_SLA_BUSINESS_DAYS_MAX: '2',
      });
      expect(result.ok ? [] : result.problems.map((line) => line.split(':')[0])).toEqual([
        'SMS_WEBHOOK_SECRET',
        'REVIEW_SLA_BUSINESS_DAYS_MIN',
      ]);
    });

    it('names malformed notification values', () => {
      const result = loadConfig({
        SMTP_URL: 'mail.example.com',
        SMS_WEBHOOK_URL: 'ftp://sms',
        SMS_WEBHOOK_SECRET: 'short',
        SMS_TIMEOUT_MS: '10',
        BUSINESS_TIME_ZONE: 'Mars/Olympus',
        BUSINESS_HOLIDAYS: '1 Jan',
        JOB_PAYLOAD_KEY: Buffer.alloc(8).toString('base64'),
      });
      expect(result.ok ? [] : result.problems.map((line) => line.split(':')[0]).sort()).toEqual([
        'BUSINESS_HOLIDAYS',
        'BUSINESS_TIME_ZONE',
        'JOB_PAYLOAD_KEY',
        'SMS_TIMEOUT_MS',
        'SMS_WEBHOOK_SECRET',
        'SMS_WEBHOOK_URL',
        'SMTP_URL',
      ]);
    });
  });
});

describe('settings that belong with another', () => {
  it('refuses them alone, naming them and what they need, since nothing would read them', () => {
    const problems = (env: Record<string, string>) => {
      const result = loadConfig(env);
      return result.ok ? [] : result.problems;
    };
    expect(problems({ LDAP_MODE: 'ad', LDAP_STARTTLS: 'false' })).toEqual([
      'LDAP_MODE, LDAP_STARTTLS: set without DIRECTORY=ldap, so nothing would read them; set DIRECTORY=ldap, or remove them',
    ]);
    expect(problems({ REDIS_PASSWORD: 'pw', REDIS_USERNAME: 'assistant' })).toEqual([
      'REDIS_PASSWORD, REDIS_USERNAME: set without REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES, so nothing would read them; set REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES, or remove them',
    ]);
    expect(problems({ SMS_WEBHOOK_SECRET: '0123456789abcdef' })).toEqual([
      'SMS_WEBHOOK_SECRET: set without SMS_WEBHOOK_URL, so nothing would read it; set SMS_WEBHOOK_URL, or remove it',
    ]);
    expect(problems({ SUPPORT_USER_IDS: 'U0AGENT' })).toEqual([
      'SUPPORT_USER_IDS: set without SLACK_BOT_TOKEN, so nothing would read it; set SLACK_BOT_TOKEN, or remove it',
    ]);
  });

  it('takes them beside what they belong to', () => {
    expect(
      loadConfig({
        DIRECTORY: 'ldap',
        LDAP_URL: 'ldaps://ldap.example.com',
        LDAP_BIND_DN: 'cn=svc,dc=example,dc=com',
        LDAP_BIND_PASSWORD: 'pw',
        LDAP_BASE_DN: 'ou=people,dc=example,dc=com',
        REDIS_SENTINELS: 's1:26379',
        REDIS_SENTINEL_NAME: 'mymaster',
        REDIS_SENTINEL_PASSWORD: 'pw',
        REDIS_PASSWORD: 'pw',
        SMS_WEBHOOK_URL: 'https://sms.example.com/send',
        SMS_WEBHOOK_SECRET: '0123456789abcdef',
      }).ok,
    ).toBe(true);
  });
});

describe('Slack and web settings', () => {
  it('runs without Slack when no bot token is set; only the app says so, not every command reading the config', () => {
    const result = loadConfig({});
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.slack).toBeNull();
    expect(result.notices.join('\n')).not.toMatch(/SLACK_BOT_TOKEN|workbench/);
    expect(result.config.web.publicBaseUrl).toBe('http://localhost:3000');
  });

  it('binds to loopback in development and to every interface elsewhere unless HOST says otherwise', () => {
    const host = (env: Record<string, string>) => {
      const result = loadConfig(env);
      if (!result.ok) throw new Error(result.problems.join('\n'));
      return result.config.web.host;
    };
    expect(host({})).toBe('127.0.0.1');
    expect(host({ NODE_ENV: 'test' })).toBe('0.0.0.0');
    expect(host({ HOST: '0.0.0.0' })).toBe('0.0.0.0');
    expect(host({ HOST: '::1' })).toBe('::1');
    expect(host({ HOST: 'app-1.internal' })).toBe('app-1.internal');
  });

  it('refuses a HOST or METRICS_HOST that cannot be an address before trying to listen', () => {
    for (const bad of ['http://0.0.0.0', '0.0.0.0:3000', '[::1]', 'my host', 'host_1']) {
      const result = loadConfig({ HOST: bad, METRICS_HOST: bad });
      expect(result.ok ? [] : result.problems.map((line) => line.split(':')[0])).toEqual([
        'HOST',
        'METRICS_HOST',
      ]);
    }
  });

  it('picks Socket Mode from an app token and reads id lists', () => {
    const result = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_APP_TOKEN: 'xapp-1-A1-abc',
      SLACK_TEAM_ID: 'T0TEAM',
      SUPPORT_USER_IDS: 'U0AGENT1, U0AGENT2',
      PUBLIC_BASE_URL: 'https://assist.example.com/',
    });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.slack).toMatchObject({
      mode: 'socket',
      teamId: 'T0TEAM',
      supportUserIds: ['U0AGENT1', 'U0AGENT2'],
    });
    expect(result.config.web.publicBaseUrl).toBe('https://assist.example.com');
  });

  it('names the credential each mode needs and checks ids', () => {
    const result = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_MODE: 'http',
      REVIEWER_USER_IDS: 'U0OK,bob',
    });
    expect(result.ok ? [] : result.problems).toEqual([
      'REVIEWER_USER_IDS: invalid; expected Slack user ids such as U0123ABCD separated by commas',
    ]);
    const withCredentials = loadConfig({ SLACK_API_URL: 'http://proxy:Proxy-secret-7@127.0.0.1:8080/api/' });
    expect(withCredentials.ok ? [] : withCredentials.problems).toEqual([
      'SLACK_API_URL: invalid; expected an http(s) URL ending in / such as https://slack.com/api/, without user:password@',
    ]);
    expect(
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_TEAM_ID: 'T0123ABCD',
        SLACK_SIGNING_SECRET: '0123456789abcdef',
        SLACK_API_URL: 'http://127.0.0.1:8080/slack/api/',
      }).ok,
    ).toBe(true);
    const missing = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_MODE: 'http' });
    expect(missing.ok ? [] : missing.problems.map((line) => line.split(':')[0])).toEqual([
      'SLACK_SIGNING_SECRET',
      'SLACK_TEAM_ID',
    ]);
  });
});
