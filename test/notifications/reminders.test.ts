import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/adapters/memory/audit-log.js';
import { MemoryJobQueue } from '../../src/adapters/memory/job-queue.js';
import { OutboxMailer } from '../../src/adapters/mail/outbox-mailer.js';
import { notifications as words } from '../../src/messages/notifications.js';
import { ManualClock } from '../../src/core/clock.js';
import {
  Reminders,
  type PasswordState,
  type ReminderSources,
} from '../../src/services/notifications/reminders.js';
import { eventually, sleep } from './eventually.js';
import { capturedLogger, deliveryService, queueSettings, unusedSms } from './harness.js';

const DAY = 86_400_000;

/** The in-process queue with a ManualClock: moving the clock makes scheduled jobs due. */
describe('scheduled reminders', () => {
  let queue: MemoryJobQueue | undefined;
  afterEach(async () => {
    await queue?.close();
  });

  function setup(submittedAt = Date.UTC(2026, 0, 5, 10)) {
    const clock = new ManualClock(submittedAt);
    const { logger, lines } = capturedLogger();
    const audit = new MemoryAuditLog(clock, { maxLength: 100 });
    queue = new MemoryJobQueue(clock, queueSettings(), logger);
    const mailer = new OutboxMailer(clock, logger);
    const delivery = deliveryService({ queue, clock, mailer, sms: unusedSms, audit, logger });
    const pending = new Set<string>();
    const reminded: { submissionId: string; text: string; at: number }[] = [];
    const passwords = new Map<string, PasswordState>();
    const expiryNotices: { accountId: string; expiresAt: number; at: number }[] = [];
    const sources: ReminderSources = {
      reviewPending: async (id) => pending.has(id),
      remindReviewers: async ({ submissionId, text }) => {
        reminded.push({ submissionId, text, at: clock.now() });
      },
      passwordState: async (accountId) => passwords.get(accountId) ?? null,
      expiringPasswords: async () => [],
      remindOwnerOfExpiry: async (accountId, expiresAt) => {
        expiryNotices.push({ accountId, expiresAt, at: clock.now() });
      },
    };
    const reminders = new Reminders({
      queue,
      delivery,
      sources,
      audit,
      clock,
      logger,
      settings: {
        calendar: { timeZone: 'UTC', holidays: [] },
        sla: { minDays: 2, maxDays: 4 },
        passwordReminderAfterDays: 90,
        passwordExpiryReminderDays: 14,
        scanPasswordExpiry: false,
      },
    });
    reminders.registerHandlers();
    return { clock, queue, reminders, pending, reminded, passwords, expiryNotices, mailer, audit, lines };
  }

  it('reminds reviewers once a submission is overdue, then each business morning until decided', async () => {
    const { clock, queue, reminders, pending, reminded, audit } = setup();
    pending.add('sub-1');
    await queue.start();
    const window = await reminders.scheduleReviewReminder({
      submissionId: 'sub-1',
      accountId: '1001',
      submittedAt: clock.now(),
    });
    expect(window).toMatchObject({ earliest: '2026-01-07', latest: '2026-01-09' });
    await reminders.scheduleReviewReminder({
      submissionId: 'sub-1',
      accountId: '1001',
      submittedAt: clock.now(),
    });

    clock.set(Date.UTC(2026, 0, 12, 8, 59));
    await sleep(50);
    expect(reminded).toEqual([]);

    clock.set(Date.UTC(2026, 0, 12, 9));
    await eventually(() => reminded.length === 1);
    expect(reminded[0]).toMatchObject({ submissionId: 'sub-1', at: Date.UTC(2026, 0, 12, 9) });
    expect(reminded[0]?.text).toContain('has waited 5 business days for a decision (expected within 4)');
    expect((await audit.recent(1))[0]).toMatchObject({
      action: 'review.overdue-reminder',
      accountId: '1001',
    });

    clock.set(Date.UTC(2026, 0, 13, 9));
    await eventually(() => reminded.length === 2);
    expect(reminded[1]?.text).toContain('has waited 6 business days');

    pending.delete('sub-1');
    clock.set(Date.UTC(2026, 0, 14, 9));
    await sleep(50);
    expect(reminded).toHaveLength(2);
  });

  it('skips the weekend between reminders', async () => {
    const { clock, queue, reminders, pending, reminded } = setup(Date.UTC(2026, 0, 7, 10));
    pending.add('sub-2');
    await queue.start();
    await reminders.scheduleReviewReminder({
      submissionId: 'sub-2',
      accountId: '1002',
      submittedAt: clock.now(),
    });
    clock.set(Date.UTC(2026, 0, 14, 9));
    await eventually(() => reminded.length === 1);
    clock.set(Date.UTC(2026, 0, 16, 9));
    await eventually(() => reminded.length === 2);
    clock.set(Date.UTC(2026, 0, 17, 9));
    await sleep(50);
    expect(reminded).toHaveLength(2);
    clock.set(Date.UTC(2026, 0, 19, 9));
    await eventually(() => reminded.length === 3);
  });

  it('sends a friendly password-age reminder 90 days after a change, and none for an outdated change', async () => {
    const { clock, queue, reminders, passwords, mailer } = setup();
    const changedAt = clock.now();
    passwords.set('1001', { changedAt, email: 'ada@example.com', name: 'Ada', expiresAt: null });
    passwords.set('1002', { changedAt: changedAt + DAY, email: 'bob@example.com', expiresAt: null });
    await queue.start();
    await reminders.schedulePasswordReminder({ accountId: '1001', changedAt });
    await reminders.schedulePasswordReminder({ accountId: '1002', changedAt });

    clock.advance(89 * DAY);
    await sleep(50);
    expect(mailer.outbox.list()).toEqual([]);

    clock.advance(DAY);
    await eventually(() => mailer.outbox.list().length === 1);
    const [entry] = mailer.outbox.list();
    expect(entry?.message).toMatchObject({
      to: 'ada@example.com',
      subject: 'A friendly reminder about your password',
    });
    expect(entry?.message.text).toContain('last changed 90 days ago');
    await sleep(50);
    expect(mailer.outbox.list()).toHaveLength(1);
  });

  it('with a directory maximum age, reminds in Slack and by mail 14 days before expiry instead of the nudge', async () => {
    const { clock, queue, reminders, passwords, expiryNotices, mailer } = setup();
    const changedAt = clock.now();
    const expiresAt = changedAt + 42 * DAY;
    passwords.set('1001', { changedAt, email: 'ada@example.com', name: 'Ada', expiresAt });
    await queue.start();
    await reminders.schedulePasswordReminder({ accountId: '1001', changedAt });

    clock.advance(28 * DAY - 1);
    await sleep(50);
    expect(expiryNotices).toEqual([]);

    clock.advance(1);
    await eventually(() => expiryNotices.length === 1 && mailer.outbox.list().length === 1);
    expect(expiryNotices[0]).toEqual({ accountId: '1001', expiresAt, at: changedAt + 28 * DAY });
    expect(mailer.outbox.list()[0]?.message).toMatchObject({
      to: 'ada@example.com',
      subject: words.email.passwordExpiry.subject,
    });
    clock.advance(90 * DAY);
    await sleep(50);
    expect(expiryNotices).toHaveLength(1);
    expect(mailer.outbox.list()).toHaveLength(1);
  });

  it('delivers a message at the time a flow asked for, not before', async () => {
    const { clock, queue, mailer, lines } = setup();
    const delivery = deliveryService({
      queue,
      clock,
      mailer,
      sms: unusedSms,
      logger: capturedLogger().logger,
    });
    await queue.start();
    await delivery.email({
      id: 'flow-x:later:1',
      to: 'later@example.com',
      at: clock.now() + 3_600_000,
      template: { kind: 'identity-approved' },
    });
    await sleep(50);
    expect(mailer.outbox.list()).toEqual([]);
    clock.advance(3_600_000);
    await eventually(() => mailer.outbox.list().length === 1);
    expect(
      lines.some((line) => line.includes('development outbox') && line.includes('l***r@example.com')),
    ).toBe(true);
  });
});
