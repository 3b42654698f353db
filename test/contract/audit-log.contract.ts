import { beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/core/clock.js';
import type { AuditEvent, AuditLog, AuditLogOptions } from '../../src/ports/audit-log.js';
import { SecretInAuditError } from '../../src/ports/audit-guards.js';

export interface AuditLogHarness {
  audit: AuditLog;
  clock: ManualClock;
}

export function describeAuditLogContract(
  label: string,
  factory: (options: AuditLogOptions) => Promise<AuditLogHarness>,
): void {
  describe(`AuditLog contract: ${label}`, () => {
    let audit: AuditLog;
    let clock: ManualClock;

    beforeEach(async () => {
      ({ audit, clock } = await factory({ maxLength: 5, accountMaxLength: 3 }));
    });

    const event = (action: string, extra: Partial<AuditEvent> = {}): AuditEvent => ({
      actor: 'slack:T1:U1',
      action,
      outcome: 'success',
      ...extra,
    });

    it('reads back every field, stamped with the clock, newest first', async () => {
      const start = clock.now();
      await audit.record(
        event('code.issued', {
          accountId: '1001',
          flowId: 'flow-1',
          detail: { channel: 'sms', target: '+44 •••• ••1234' },
        }),
      );
      clock.advance(1_000);
      await audit.record(event('code.failed', { outcome: 'failure', accountId: '1001' }));
      clock.advance(1_000);
      await audit.record({ actor: 'system', action: 'reminder.sent', outcome: 'info' });

      const entries = await audit.recent(10);
      expect(entries).toEqual([
        {
          id: expect.any(String),
          actor: 'system',
          action: 'reminder.sent',
          outcome: 'info',
          at: start + 2_000,
        },
        {
          id: expect.any(String),
          actor: 'slack:T1:U1',
          accountId: '1001',
          action: 'code.failed',
          outcome: 'failure',
          at: start + 1_000,
        },
        {
          id: expect.any(String),
          actor: 'slack:T1:U1',
          accountId: '1001',
          flowId: 'flow-1',
          action: 'code.issued',
          outcome: 'success',
          detail: { channel: 'sms', target: '+44 •••• ••1234' },
          at: start,
        },
      ]);
      expect(entries.every((entry) => !('detail' in entry) || entry.detail !== undefined)).toBe(true);
      expect(new Set(entries.map((entry) => entry.id)).size).toBe(3);
    });

    it('keeps insertion order when the clock does not move', async () => {
      for (const action of ['a.one', 'a.two', 'a.three']) await audit.record(event(action));
      expect((await audit.recent(10)).map((entry) => entry.action)).toEqual(['a.three', 'a.two', 'a.one']);
    });

    it('answers at most `limit` entries, and none when empty', async () => {
      expect(await audit.recent(3)).toEqual([]);
      for (let index = 1; index <= 4; index += 1) await audit.record(event(`step.${index}`));
      expect((await audit.recent(2)).map((entry) => entry.action)).toEqual(['step.4', 'step.3']);
      await expect(audit.recent(0)).rejects.toThrow(RangeError);
    });

    it('keeps only the newest entries up to its cap', async () => {
      for (let index = 1; index <= 23; index += 1) await audit.record(event(`step.${index}`));
      expect((await audit.recent(100)).map((entry) => entry.action)).toEqual([
        'step.23',
        'step.22',
        'step.21',
        'step.20',
        'step.19',
      ]);
    });

    it("keeps an account's events readable however busy the whole trail is", async () => {
      await audit.record(event('password.changed', { accountId: '1001', flowId: 'flow-1' }));
      for (let index = 1; index <= 20; index += 1)
        await audit.record(event(`other.${index}`, { accountId: '2002' }));
      expect((await audit.recent(100)).some((entry) => entry.accountId === '1001')).toBe(false);
      const own = await audit.forAccount('1001', 10);
      expect(own).toEqual([
        {
          id: expect.any(String),
          actor: 'slack:T1:U1',
          accountId: '1001',
          flowId: 'flow-1',
          action: 'password.changed',
          outcome: 'success',
          at: clock.now(),
        },
      ]);
      expect(await audit.forAccount('3003', 10)).toEqual([]);
    });

    it("caps each account's stream, newest first, and answers at most `limit`", async () => {
      for (let index = 1; index <= 7; index += 1)
        await audit.record(event(`step.${index}`, { accountId: '1001' }));
      expect((await audit.forAccount('1001', 100)).map((entry) => entry.action)).toEqual([
        'step.7',
        'step.6',
        'step.5',
      ]);
      expect((await audit.forAccount('1001', 2)).map((entry) => entry.action)).toEqual(['step.7', 'step.6']);
      await expect(audit.forAccount('1001', 0)).rejects.toThrow(RangeError);
    });

    it('does not hand out its own objects', async () => {
      await audit.record(event('code.issued', { detail: { channel: 'sms' } }));
      const [first] = await audit.recent(1);
      if (first?.detail) first.detail.channel = 'changed';
      expect((await audit.recent(1))[0]?.detail).toEqual({ channel: 'sms' });
    });

    describe('refuses to write anything secret-looking', () => {
      it.each([
        ['code', 'sms'],
        ['otpCode', 'sms'],
        ['resetToken', 'abc'],
        ['new_password', 'x'],
        ['Password', 'x'],
        ['clientSecret', 'x'],
        ['documentNumber', 'x'],
        ['document-number', 'x'],
      ])('a detail named %s', async (key, value) => {
        await expect(audit.record(event('code.issued', { detail: { [key]: value } }))).rejects.toThrow(
          SecretInAuditError,
        );
        expect(await audit.recent(10)).toEqual([]);
      });

      it.each([
        ['a six-digit code', '042917'],
        ['a code inside a sentence', 'user typed 042917 twice'],
        ['a reset token', 'Xq3v9_Jk2mPzR8sT0uWyA1bC4dE6fG7hI9jK-LnMoPq'],
        ['a token in a link', 'https://example.test/reset?t=Xq3v9_Jk2mPzR8sT0uWyA1bC4dE6fG7hI9jK-LnMoPq'],
      ])('a value that looks like %s', async (_what, value) => {
        const attempt = audit.record(event('code.issued', { detail: { note: value } }));
        await expect(attempt).rejects.toThrow(SecretInAuditError);
        await attempt.catch((error: unknown) => expect(String(error)).not.toContain(value));
        expect(await audit.recent(10)).toEqual([]);
      });

      it('while identifiers, times and masked targets are fine', async () => {
        const detail = {
          reason: 'expired',
          target: '+44 •••• ••1234',
          email: 'j•••@example.com',
          sentAt: '1767603600000',
          attempts: '5',
          date: '2026-01-05',
          flowStep: 'confirm-12345',
          job: '1234567',
          submission: '1000001-9f123456ab0c4d2e',
        };
        await audit.record(event('code.expired', { detail }));
        expect((await audit.recent(1))[0]?.detail).toEqual(detail);
      });
    });
  });
}
