import type { Account, ContactAddress, VerificationStatus } from '../domain/account.js';
import { isIndustry } from '../domain/account.js';
import { directory } from '../messages/directory.js';
import { slack } from '../messages/slack.js';
import { validation } from '../messages/validation.js';
import { maskEmail, maskPhone } from '../services/masking.js';

/** What the Home tab shows about an account: everything masked as SPEC §2 asks. */
export interface AccountSummary {
  basic: { label: string; value: string }[];
  security: { label: string; value: string }[];
  verification: { status: VerificationStatus; label: string; reason?: string };
  /** The contact address, one line, or "not set" (SPEC §2; not masked: it is not a secret). */
  address: { label: string; value: string };
  /** The contact details differ from the security settings (SPEC §2 recommends alignment). */
  inconsistent: boolean;
  /** The company directory locked the account after failed sign-ins (SPEC 3.12). */
  directoryLocked: boolean;
}

export function formatDate(epochMs: number | null): string {
  return epochMs === null ? slack.home.never : new Date(epochMs).toISOString().slice(0, 10);
}

function orNotSet(value: string | null): string {
  return value === null || value === '' ? slack.home.notSet : value;
}

function addressLine(address: ContactAddress | null): string | null {
  if (address === null) return null;
  const { fullName, companyName, address: street, city, state, postalCode, region } = address;
  return [fullName, companyName, street, city, state, postalCode, region].join(', ');
}

export function summarizeAccount(account: Account): AccountSummary {
  const f = slack.fields;
  const industry =
    account.industry !== null && isIndustry(account.industry)
      ? validation.industry.labels[account.industry]
      : account.industry;
  const contactEmail =
    account.contactEmail === null
      ? null
      : `${maskEmail(account.contactEmail)}${account.contactEmailVerified ? '' : ` ${f.unverifiedSuffix}`}`;
  return {
    basic: [
      { label: f.accountName, value: account.accountName },
      {
        label: f.loginEmail,
        value: orNotSet(account.loginEmail === null ? null : maskEmail(account.loginEmail)),
      },
      { label: f.accountId, value: account.accountId },
      { label: f.appId, value: account.appId },
      { label: f.registeredAt, value: formatDate(account.registeredAt) },
      { label: f.industry, value: orNotSet(industry) },
      {
        label: f.contactMobile,
        value: orNotSet(account.contactNumber === null ? null : maskPhone(account.contactNumber)),
      },
      { label: f.contactEmail, value: orNotSet(contactEmail) },
    ],
    security: [
      {
        label: f.securityMobile,
        value: orNotSet(account.securityMobile === null ? null : maskPhone(account.securityMobile)),
      },
      {
        label: f.verificationEmail,
        value: orNotSet(account.verificationEmail === null ? null : maskEmail(account.verificationEmail)),
      },
      { label: f.passwordChangedAt, value: formatDate(account.passwordChangedAt) },
      ...(account.directoryLockedAt == null
        ? []
        : [
            {
              label: directory.summary.label,
              value: directory.summary.locked(formatDate(account.directoryLockedAt)),
            },
          ]),
    ],
    address: { label: f.contactAddress, value: orNotSet(addressLine(account.contactAddress)) },
    verification: {
      status: account.verification.status,
      label: slack.verificationStatus[account.verification.status],
      ...(account.verification.reason ? { reason: account.verification.reason } : {}),
    },
    inconsistent:
      (account.contactNumber !== null &&
        account.securityMobile !== null &&
        account.contactNumber !== account.securityMobile) ||
      (account.contactEmail !== null &&
        account.verificationEmail !== null &&
        account.contactEmail.toLowerCase() !== account.verificationEmail.toLowerCase()),
    directoryLocked: account.directoryLockedAt != null,
  };
}
