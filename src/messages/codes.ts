/**
 * One-time code sentences: what was sent, why a code was refused and what to do next.
 * None of them repeats a code except the delivery texts that carry it.
 */
import type { CodeChannel, CodePurpose, StoreVerifyResult } from '../ports/code-store.js';

const purposes: Record<CodePurpose, string> = {
  'step-up': 'confirm it is you',
  'contact-mobile': 'confirm your new contact number',
  'security-mobile': 'confirm your new security mobile',
  'contact-email': 'confirm your new contact email',
  'verification-email': 'confirm your new verification email',
  'login-email': 'confirm your new login email',
  'account-link': 'link your Slack user to your account',
  'reset-identity': 'confirm it is you before resetting your password',
};

const channelNames: Record<CodeChannel, string> = { sms: 'by SMS', email: 'by email' };

/** "42 seconds", "1 minute", "15 minutes", "1 hour 5 minutes"; always rounded up. */
export function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return plural(seconds, 'second');
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? plural(hours, 'hour') : `${plural(hours, 'hour')} ${plural(rest, 'minute')}`;
}

/** "09:15 UTC": a clock time readable in SMS and email, where no local time zone is known. */
export function clockTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(11, 16)} UTC`;
}

/** A moment that may be days away, to the minute ("2026-01-05 09:15 UTC"): readers work across time zones. */
export function minuteUtc(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

function until(retryAt: number, now: number): string {
  return `${clockTime(retryAt)} (in ${waitText(retryAt - now)})`;
}

export const codes = {
  purposes,

  sent: (maskedTarget: string, channel: CodeChannel, expiresAt: number, now: number) =>
    `We sent a 6-digit code ${channelNames[channel]} to ${maskedTarget}. It works for ${waitText(expiresAt - now)}.`,
  enterCode: 'Enter the 6-digit code from the message we sent you.',
  malformed: 'A code is 6 digits, such as 012345. Check the message we sent and type it again.',
  malformedNotCounted: (maxAttempts: number) =>
    `A code is 6 digits, such as 012345. That did not count as a try: each code allows ${maxAttempts} tries. Check the message we sent and type it again.`,
  resendButton: (availableAt: number, now: number) =>
    availableAt <= now ? 'Send a new code' : `Resend in ${Math.ceil((availableAt - now) / 1000)} s`,

  ok: 'Code confirmed.',
  wrong: (attemptsLeft: number) =>
    `That code is not right. Check the newest message and try again: ${attemptsLeft === 1 ? '1 try' : `${attemptsLeft} tries`} left.`,
  exhausted:
    'That was the last try for this code, so it no longer works. Ask for a new code and enter the one in the newest message.',
  expired: 'This code has expired. Ask for a new code; each code works for a few minutes only.',
  none: 'There is no active code for this step: it was used already, replaced by a newer one, or cancelled. Ask for a new code.',
  locked: (retryAt: number, now: number) =>
    `Too many wrong codes were entered for your account in the last hour, so codes are paused until ${until(retryAt, now)}. Try again then, or ask in the support channel to lift the pause sooner.`,

  cooldown: (retryAt: number, now: number) =>
    `You can ask for a new code in ${waitText(retryAt - now)}. The code we sent last still works until then.`,
  sendLimit: (channel: CodeChannel, retryAt: number, now: number) =>
    `You have asked for as many codes ${channelNames[channel]} as we send in one hour. You can ask again at ${until(retryAt, now)}, or use your other verification method if you have one.`,

  /** The sentence for any verification outcome. */
  verifyOutcome: (result: StoreVerifyResult, now: number): string => {
    switch (result.outcome) {
      case 'ok':
        return codes.ok;
      case 'wrong':
        return codes.wrong(result.attemptsLeft);
      case 'exhausted':
        return codes.exhausted;
      case 'expired':
        return codes.expired;
      case 'none':
        return codes.none;
      case 'locked':
        return codes.locked(result.retryAt, now);
    }
  },

  /** The sentence for a refused request for a code. */
  issueRefusal: (
    refusal: { reason: 'cooldown' | 'send-limit' | 'locked'; retryAt: number },
    channel: CodeChannel,
    now: number,
  ): string => {
    switch (refusal.reason) {
      case 'cooldown':
        return codes.cooldown(refusal.retryAt, now);
      case 'send-limit':
        return codes.sendLimit(channel, refusal.retryAt, now);
      case 'locked':
        return codes.locked(refusal.retryAt, now);
    }
  },

  delivery: {
    sms: (code: string, purpose: CodePurpose, validForMs: number) =>
      `Account Assistant: ${code} is your code to ${purposes[purpose]}. It works for ${waitText(validForMs)}. Never share it: we will never ask for it in a channel.`,
    /** No code in the subject: it would show on lock screens and in notification previews. */
    emailSubject: (purpose: CodePurpose) => `Your Account Assistant code to ${purposes[purpose]}`,
    emailBody: (code: string, purpose: CodePurpose, validForMs: number) =>
      [
        `Your code to ${purposes[purpose]} is:`,
        '',
        code,
        '',
        `It works for ${waitText(validForMs)} and only once. Enter it in the Account Assistant window in Slack.`,
        'Never share this code. Nobody from support will ask for it, in a channel or anywhere else.',
        'If you did not ask for this code, you can ignore this email; your account stays as it is.',
      ].join('\n'),
  },
} as const;
