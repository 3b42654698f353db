/**
 * Email and SMS wording. Subjects never hold a code or link (subjects are logged); texts
 * never hold a link to a reset page (SMS links are easy to fake). Every notice of a
 * change says what changed, when, and what to do if it was not the reader.
 */
import { waitText } from './codes.js';

export type EmailCodePurpose =
  | 'contact-email'
  | 'verification-email'
  | 'login-email'
  | 'step-up'
  | 'account-link'
  | 'reset-identity-check';

export type SmsCodePurpose = 'contact-mobile' | 'security-mobile' | 'step-up' | 'reset-identity-check';

export type ChangeKind =
  | 'contact-mobile'
  | 'security-mobile'
  | 'contact-email'
  | 'verification-email'
  | 'login-email'
  | 'password'
  | 'verification-status'
  | 'directory-lock';

const notYou =
  'If you did not make this change, press "This wasn\'t me" on the notice in Slack, or tell the support channel at once. We will lock self-service for your account until support has checked it.';

const changeNames: Record<ChangeKind, string> = {
  'contact-mobile': 'contact mobile number',
  'security-mobile': 'security mobile number',
  'contact-email': 'contact email address',
  'verification-email': 'verification email address',
  'login-email': 'login email address',
  password: 'password',
  'verification-status': 'identity verification status',
  'directory-lock': 'company sign-in lock (cleared)',
};

const emailCodeReasons: Record<EmailCodePurpose, string> = {
  'contact-email': 'to confirm this address as the contact email of your account',
  'verification-email': 'to confirm this address as the verification email of your account',
  'login-email': 'to confirm this address as the login email of your account',
  'step-up': 'to confirm it is you before you change security settings',
  'account-link': 'to link your Slack user to your account',
  'reset-identity-check': 'to confirm it is you while you reset your password',
};

const smsCodeReasons: Record<SmsCodePurpose, string> = {
  'contact-mobile': 'confirm your new contact mobile',
  'security-mobile': 'confirm your new security mobile',
  'step-up': 'confirm it is you',
  'reset-identity-check': 'reset your password',
};

export const notifications = {
  changeName: (change: ChangeKind) => changeNames[change],
  greeting: (name: string | undefined) => (name ? `Hello ${name},` : 'Hello,'),
  signature: 'Account Assistant',
  automated: 'This message was sent automatically; replies are not read.',

  email: {
    code: {
      subject: 'Your verification code',
      reason: (purpose: EmailCodePurpose) => `Use this code ${emailCodeReasons[purpose]}:`,
      validity: (validForMs: number) =>
        `The code is valid for ${waitText(validForMs)} and works once. Enter it only in Account Assistant in Slack or on its own pages.`,
      ignore:
        'If you did not ask for this code, ignore this message: nothing changes without it. Never share the code with anyone, support staff included.',
    },
    resetLink: {
      subject: 'Reset your password',
      intro: 'Someone asked to reset the password of the account that uses this address.',
      action: 'Choose a new password',
      validity: (validForMs: number) =>
        `The link is valid for ${waitText(validForMs)} and can be used once. Asking for a new link makes this one stop working.`,
      ignore:
        'If you did not ask for this, ignore this message: your password stays as it is. Opening the link does not change anything until you choose a new password.',
    },
    changeNotice: {
      subject: (change: ChangeKind) => `Your ${changeNames[change]} was changed`,
      what: (change: ChangeKind) => `The ${changeNames[change]} of your account was changed.`,
      newValue: (value: string) => `It is now: ${value}.`,
      when: (when: string) => `When: ${when}.`,
      notYou,
    },
    identitySubmitted: {
      subject: 'We received your identity verification',
      body: 'Your identity verification was submitted and is waiting for review. Your current status stays as it is until a reviewer decides.',
      expected: (earliest: string, latest: string, minDays: number, maxDays: number) =>
        `Expect a decision between ${earliest} and ${latest} (${minDays} to ${maxDays} business days). We will tell you by Slack, email and text.`,
    },
    identityApproved: {
      subject: 'Your identity verification was approved',
      body: 'A reviewer approved your identity verification. Your account now shows as verified.',
    },
    identityRejected: {
      subject: 'Your identity verification was not approved',
      body: 'A reviewer could not approve your identity verification.',
      reason: (reason: string) => `Reason given: ${reason}`,
      next: 'You can correct the details and submit again from Account Assistant in Slack ("verify"). Ask in the support channel if the reason is unclear.',
    },
    codesLocked: {
      subject: 'Code entry for your account is paused',
      body: (until: string) =>
        `Too many wrong verification codes were entered for your account in the last hour, so we paused code entry until ${until}. Every code we had sent no longer works.`,
      ifYou: 'If that was you, wait until then and ask for a new code.',
      notYou:
        'If it was not you, someone may be trying to get into your account: press "This wasn\'t me" on the notice in Slack, reset your password, and tell the support channel.',
    },
    passwordCooldown: {
      subject: 'Password changes for your account are paused',
      body: (until: string) =>
        `The current password was entered wrongly too many times in a row on the change-password page of your account, so we paused password changes until ${until}.`,
      ifYou: 'If that was you, wait until then and try again, or reset your password if you forgot it.',
      notYou:
        'If it was not you, someone may be trying to take over your account: press "This wasn\'t me" on the notice in Slack, reset your password, and tell the support channel.',
    },
    passwordExpiry: {
      subject: 'Your password expires soon',
      body: (date: string) => `Your company password expires on ${date}.`,
      advice:
        'Change it before then from Account Assistant in Slack ("change password"), so that signing in keeps working.',
    },
    passwordAge: {
      subject: 'A friendly reminder about your password',
      body: (days: number) => `Your password was last changed ${days} days ago.`,
      advice:
        'Nothing is forced: it keeps working. If you think it may be known to someone else, or you use it elsewhere, change it from Account Assistant in Slack ("change password").',
    },
  },

  sms: {
    code: (purpose: SmsCodePurpose, code: string, validForMs: number) =>
      `Account Assistant: ${code} is your code to ${smsCodeReasons[purpose]}. Valid ${waitText(validForMs)}. Never share it.`,
    changeNotice: (change: ChangeKind, when: string) =>
      `Account Assistant: your ${changeNames[change]} was changed on ${when}. Not you? Tell the support channel now.`,
    identityApproved: 'Account Assistant: your identity verification was approved.',
    identityRejected: (reason: string) =>
      `Account Assistant: your identity verification was not approved. Reason: ${reason}. You can resubmit in Slack.`,
  },

  delivery: {
    sent: 'The code is on its way. It can take a minute to arrive.',
    delayed:
      'We could not send the code just now. We will keep trying for a while; if nothing arrives in a few minutes, ask for a new code.',
    unavailable: 'We cannot send messages at the moment. Nothing was changed; please try again in a minute.',
  },

  reviewOverdue: (submissionRef: string, waitedDays: number, expectedDays: number) =>
    `Identity verification ${submissionRef} has waited ${waitedDays} business days for a decision (expected within ${expectedDays}). Please review it.`,
} as const;
