import type { DirectoryField } from '../../machines/shared/messages.js';
import { minuteUtc } from './codes.js';

/**
 * What the company directory (LDAP, Active Directory) said, in words. Each refusal names the
 * directory's rule and what to do next; none repeats the password.
 */
const fieldNames: Record<DirectoryField, string> = {
  contactMobile: 'contact number',
  securityMobile: 'security mobile',
  contactEmail: 'contact email',
  verificationEmail: 'verification email',
  loginEmail: 'login email',
  accountName: 'account name',
  industry: 'industry',
  contactAddress: 'contact address',
};

export const directory = {
  refusals: {
    'too-short':
      'Length (company directory): the directory refused this password as too short. Use a longer one.',
    'in-history':
      'Recent passwords (company directory): you used this password recently. Choose one you have not used before.',
    'too-young':
      'Minimum age (company directory): your password was changed too recently to change it again. Try again later, or ask support.',
    quality:
      'Password rules (company directory): the directory refused this password under its own rules. Choose a longer, less predictable one.',
    'not-allowed':
      'Company directory: the directory does not allow this password change for your account. Ask support.',
  },
  /** The minimum age's end, when the directory's policy tells it. */
  tooYoungUntil: (changeableAt: number) =>
    `Minimum age (company directory): your password was changed too recently to change it again. You can change it from ${minuteUtc(changeableAt)}; until then, ask support if it cannot wait.`,
  /** A profile write the directory refused: nothing was changed in either store. */
  writeRefused: {
    access: (field: DirectoryField) =>
      `The company directory does not allow this app to change your ${fieldNames[field]}; nothing was changed. Ask IT or support to change it, or to grant the app access.`,
    schema: (field: DirectoryField) =>
      `The company directory refused this value for your ${fieldNames[field]} (its schema); nothing was changed. Try a different value or ask support.`,
  },
  summary: {
    label: 'Company sign-in',
    locked: (since: string) => `locked since ${since} after too many failed sign-ins`,
  },
  support: {
    label: 'Directory sign-in',
    locked: (since: string) => `locked by the directory since ${since} (unlock clears it)`,
  },
  /** Told only to the owner, past step-up, on the change-password page. */
  lockedOut:
    'Your company account is locked after too many failed sign-ins, so its password cannot be checked or changed. Unlock it yourself with "unlock my account" (or the button on the Home tab), or ask support, then try again.',
} as const;
