/**
 * Every sentence on the web pages: forgot, reset and change password, the diagrams and
 * the error pages. Refusals say why and what to do next; none repeats a link or code.
 */
import { waitText } from './codes.js';

export const web = {
  siteName: 'Account Assistant',
  showPasswords: 'Show passwords',
  fieldErrorsHeading: 'Please correct the following:',

  forgot: {
    title: 'Forgot your password?',
    intro: 'Enter the login email of your account. We will send a link to set a new password.',
    emailLabel: 'Login email',
    submit: 'Send reset link',
    emailMissing: 'Enter the login email of your account, such as name@example.com.',
    sentTitle: 'Check your email',
    sent: (linkTtlMs: number) =>
      `If an account uses that login email, a reset link is on its way to it. The link works for ${waitText(linkTtlMs)}.`,
    sentNext: 'No email after a few minutes? Check your spam folder, or ask again.',
    askAgain: 'Ask for another link',
    tooManyTitle: 'Too many requests',
    tooMany: (retryAt: number, now: number) =>
      `Too many reset requests came from your network. Try again in ${waitText(retryAt - now)}, or ask in the support channel.`,
  },

  passwordRules: {
    heading: 'Your new password needs:',
    seedLength: (min: number, max: number) => `${min} to ${max} characters, with no spaces`,
    seedCharacters: 'at least one letter, one digit and one symbol such as . / _ ! or #',
    nistLength: (min: number, max: number) =>
      `${min} to ${max} characters; any characters, spaces included, are fine`,
    history: (count: number) =>
      count === 1 ? 'to differ from your current password' : `to differ from your last ${count} passwords`,
    notGuessable: 'not to be a common password or your login email',
    noNames:
      'not to contain your name, a part of your email address, or the name of your organisation or its products',
  },

  reset: {
    title: 'Set a new password',
    intro: 'Choose a new password for your account and type it twice.',
    newLabel: 'New password',
    confirmLabel: 'New password again',
    submit: 'Continue',
    passwordMissing: 'Type your new password in both fields.',
    doneTitle: 'Password saved',
    done: 'Your new password is saved. Sign in with it now; open requests, codes and links for your account were cancelled.',
  },

  code: {
    title: 'Confirm it is you',
    sent: (channel: 'sms' | 'email', maskedTarget: string) =>
      `We sent a 6-digit code ${channel === 'sms' ? 'by SMS' : 'by email'} to ${maskedTarget}. Enter it below to save your new password.`,
    label: '6-digit code',
    submit: 'Confirm',
    resend: 'Send a new code',
    resendWait: (availableAt: number, now: number) =>
      `You can ask for a new code in ${waitText(availableAt - now)}.`,
    useAlternate: 'Use alternate verification',
    alternateHint: 'No access to this? Get the code at your other verification contact instead.',
    missing: 'Enter the 6-digit code from the message we sent you.',
  },

  change: {
    title: 'Change your password',
    intro: 'Type your current password, then the new one twice.',
    currentLabel: 'Current password',
    newLabel: 'New password',
    confirmLabel: 'New password again',
    submit: 'Change password',
    fieldsMissing: 'Fill in all three password fields.',
    doneTitle: 'Password changed',
    done: 'Your password was changed. We sent you a confirmation by email. You can close this page.',
  },

  invalid: {
    title: 'Link invalid or expired',
    body: 'This link is invalid or has expired. Links work once, and only the newest one you received works.',
    resetNext: 'Ask for a new reset link',
    changeNext: 'To change your password, start again from the Account Assistant in Slack.',
  },

  cooldown: {
    title: 'Please wait',
    body: (retryAt: number, now: number) =>
      `The current password was wrong too many times in a row. Try again in ${waitText(retryAt - now)}, or reset your password instead.`,
    resetInstead: 'Reset your password',
  },

  unavailable: {
    title: 'Temporarily unavailable',
    body: 'Something on our side is briefly unavailable. Nothing was changed; please try again in a minute.',
  },

  formExpired: {
    title: 'This form has expired',
    body: 'For your security this form can no longer be sent. Open the page again and repeat the last step.',
  },

  documentLink: {
    usedTitle: 'Link already used or expired',
    used: 'This document link works once and for 5 minutes. Press "View document" on the review card again for a new one.',
    goneTitle: 'Document image no longer kept',
    gone: 'The image of this submission was deleted under the retention rules. The review card keeps the decision.',
  },

  notFound: {
    title: 'Page not found',
    body: 'There is no page at this address. Check the link, or start again from the Account Assistant in Slack.',
  },

  serverError: {
    title: 'Something went wrong',
    body: 'Something went wrong on our side. Nothing was changed; please try again in a minute.',
  },

  flows: {
    title: 'Flow diagrams',
    intro:
      'Each flow of the Account Assistant is a state machine. These diagrams are generated from the machines, so they always match the code.',
    diagramAlt: (title: string) => `State diagram of the flow "${title}"`,
    section: (spec: string) => `Specification section ${spec}`,
    missing: 'The diagram for this flow has not been generated yet. Run npm run diagrams.',
  },
} as const;
