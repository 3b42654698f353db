import { describe, expect, it } from 'vitest';
import { clockTime, codes, waitText } from './codes.js';

const now = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('code messages', () => {
  it('rounds waits up to whole seconds, then minutes', () => {
    expect(waitText(1)).toBe('1 second');
    expect(waitText(41_001)).toBe('42 seconds');
    expect(waitText(60_000)).toBe('1 minute');
    expect(waitText(60_001)).toBe('2 minutes');
    expect(waitText(900_000)).toBe('15 minutes');
    expect(waitText(3_600_000)).toBe('1 hour');
    expect(waitText(3_900_000)).toBe('1 hour 5 minutes');
  });

  it('says how many tries are left, in the singular too', () => {
    expect(codes.wrong(3)).toMatch(/: 3 tries left\.$/);
    expect(codes.wrong(1)).toMatch(/: 1 try left\.$/);
  });

  it('tells a refused person when to come back and what else to do', () => {
    expect(codes.cooldown(now + 42_000, now)).toMatch(/^You can ask for a new code in 42 seconds\./);
    expect(codes.locked(now + 900_000, now)).toContain('until 09:15 UTC (in 15 minutes)');
    expect(codes.locked(now + 900_000, now)).toContain('support channel');
    expect(codes.issueRefusal({ reason: 'send-limit', retryAt: now + 1_800_000 }, 'sms', now)).toContain(
      'codes by SMS as we send in one hour. You can ask again at 09:30 UTC (in 30 minutes)',
    );
    expect(codes.resendButton(now + 41_500, now)).toBe('Resend in 42 s');
    expect(codes.resendButton(now, now)).toBe('Send a new code');
  });

  it('has a sentence for every verification outcome', () => {
    const sentences = new Set([
      codes.verifyOutcome({ outcome: 'ok' }, now),
      codes.verifyOutcome({ outcome: 'wrong', attemptsLeft: 2 }, now),
      codes.verifyOutcome({ outcome: 'exhausted' }, now),
      codes.verifyOutcome({ outcome: 'expired' }, now),
      codes.verifyOutcome({ outcome: 'none' }, now),
      codes.verifyOutcome({ outcome: 'locked', retryAt: now + 60_000 }, now),
    ]);
    expect(sentences.size).toBe(6);
    expect(clockTime(now)).toBe('09:00 UTC');
  });

  it('puts the code in the delivery body but never in the email subject', () => {
    expect(codes.delivery.sms('012345', 'security-mobile', 600_000)).toContain(
      '012345 is your code to confirm your new security mobile. It works for 10 minutes.',
    );
    expect(codes.delivery.emailBody('012345', 'step-up', 600_000)).toContain('\n012345\n');
    expect(codes.delivery.emailSubject('step-up')).not.toMatch(/\d/);
  });
});
