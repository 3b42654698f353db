import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/adapters/memory/audit-log.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { messages } from '../../src/messages/catalog.js';
import { buildNotifications, type Notifications } from '../../src/app/notifications.js';
import { eventually } from './eventually.js';
import { capturedLogger } from './harness.js';

function developmentConfig(): AppConfig {
  const result = loadConfig({ NODE_ENV: 'development', DELIVERY_BACKOFF_MS: '10' });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.config;
}

/** No SMTP_URL, no SMS_WEBHOOK_URL, no REDIS_URL: the workbench's setup. */
describe('development outboxes', () => {
  let notifications: Notifications | undefined;
  afterEach(async () => {
    await notifications?.close();
  });

  it('keeps every mail and text for the workbench and logs one line each without the body', async () => {
    const clock = new ManualClock();
    const { logger, lines } = capturedLogger();
    notifications = buildNotifications(developmentConfig(), {
      clock,
      logger,
      audit: new MemoryAuditLog(clock, { maxLength: 100 }),
      sources: {
        reviewPending: async () => false,
        remindReviewers: async () => undefined,
        passwordState: async () => null,
        expiringPasswords: async () => [],
        remindOwnerOfExpiry: async () => undefined,
      },
    });
    const { delivery, mailOutbox, smsOutbox } = notifications;
    if (!mailOutbox || !smsOutbox) throw new Error('development setup must have outboxes');
    const seen: string[] = [];
    mailOutbox.subscribe((entry) => seen.push(entry.message.subject));
    await notifications.start();

    const mailOutcome = await delivery.emailNow({
      id: 'dev:code:1',
      to: 'ada.lovelace@example.com',
      template: { kind: 'code', purpose: 'account-link', code: '271828', validForMs: 600_000 },
    });
    const smsOutcome = await delivery.smsNow({
      id: 'dev:code:2',
      to: '+8613800135678',
      template: { kind: 'code', purpose: 'step-up', code: '314159', validForMs: 600_000 },
    });
    await delivery.email({
      id: 'dev:reset:1',
      to: 'ada.lovelace@example.com',
      template: {
        kind: 'password-reset-link',
        link: 'https://aa.example.com/reset?t=SECRETTOKEN',
        validForMs: 172_800_000,
      },
    });
    await eventually(() => mailOutbox.list().length === 2);

    expect([mailOutcome, smsOutcome]).toEqual(['sent', 'sent']);
    expect(seen).toEqual(['Your verification code', 'Reset your password']);
    expect(mailOutbox.list()[0]?.message.text).toContain('271828');
    expect(smsOutbox.list()[0]?.message).toMatchObject({ id: 'sms:dev:code:2', to: '+8613800135678' });

    const log = lines.join('\n');
    for (const secret of ['271828', '314159', 'SECRETTOKEN', 'ada.lovelace', '13800135678']) {
      expect(log).not.toContain(secret);
    }
    const outboxLines = lines.filter((line) => line.includes('development outbox'));
    expect(outboxLines).toHaveLength(3);
    expect(outboxLines[0]).toContain('a***e@example.com');
    expect(outboxLines[0]).toContain('Your verification code');
    expect(outboxLines.some((line) => line.includes('+86 138****5678'))).toBe(true);
  });

  it('registers its wording in the message catalog', () => {
    expect(messages.notifications.email.resetLink.subject).toBe('Reset your password');
    expect(messages.notifications.delivery.delayed).toMatch(/ask for a new code/);
  });
});
