import { z } from 'zod';

/**
 * The account (SPEC §2) and an identity-verification submission (SPEC §3.10), as stored.
 * Both schemas run on every read, so a record that does not parse is reported, never used.
 */

/** The fixed industry list offered when editing basic information (SPEC §3.2); labels live in the catalog. */
export const INDUSTRIES = [
  'internet',
  'software',
  'e-commerce',
  'finance',
  'education',
  'healthcare',
  'manufacturing',
  'media',
  'gaming',
  'telecommunications',
  'logistics',
  'energy',
  'real-estate',
  'government',
  'non-profit',
  'other',
] as const;

export type Industry = (typeof INDUSTRIES)[number];

export function isIndustry(value: string): value is Industry {
  return (INDUSTRIES as readonly string[]).includes(value);
}

const accountIdSchema = z.string().regex(/^[1-9]\d{0,15}$/, 'a numeric account id');
/** Loose on purpose: flows validate addresses properly before they reach the directory. */
const emailSchema = z
  .string()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'an email address');
const e164Schema = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number');
const regionSchema = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 region code');
const epochMs = z.number().int().nonnegative();
const requiredText = (max: number) => z.string().trim().min(1).max(max);

const contactAddressSchema = z.object({
  fullName: requiredText(128),
  companyName: requiredText(128),
  region: regionSchema,
  state: requiredText(128),
  city: requiredText(128),
  address: requiredText(256),
  postalCode: requiredText(32),
});

export type ContactAddress = z.infer<typeof contactAddressSchema>;

/** The address's parts in the order the form shows them. */
export const CONTACT_ADDRESS_PARTS = Object.keys(
  contactAddressSchema.shape,
) as readonly (keyof ContactAddress)[];

const VERIFICATION_STATUSES = ['unverified', 'pending', 'verified', 'rejected'] as const;

export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

const verificationStateSchema = z.object({
  status: z.enum(VERIFICATION_STATUSES),
  /** Why the last submission was rejected (status `rejected`). */
  reason: z.string().optional(),
  decidedAt: epochMs.optional(),
  /** The approved submission the `verified` status rests on. */
  currentSubmissionId: z.string().optional(),
  /** The submission waiting for review; a verified account keeps `verified` meanwhile. */
  pendingSubmissionId: z.string().optional(),
});

const slackUserRefSchema = z.object({
  teamId: z.string().regex(/^[A-Z0-9]+$/, 'a Slack team id'),
  userId: z.string().regex(/^[A-Z0-9]+$/, 'a Slack user id'),
});

export type SlackUserRef = z.infer<typeof slackUserRefSchema>;

const bcryptHash = z.string().regex(/^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/, 'a bcrypt hash');

export const accountSchema = z.object({
  accountId: accountIdSchema,
  appId: z.string().regex(/^\d{12}$/, 'a 12-digit APPID'),
  loginEmail: emailSchema.nullable(),
  accountName: requiredText(64),
  registeredAt: epochMs,
  industry: requiredText(64).nullable(),
  contactNumber: e164Schema.nullable(),
  contactEmail: emailSchema.nullable(),
  contactEmailVerified: z.boolean(),
  contactAddress: contactAddressSchema.nullable(),
  securityMobile: e164Schema.nullable(),
  verificationEmail: emailSchema.nullable(),
  /** Null for an account that never had a password (it must use reset to get one). */
  passwordHash: bcryptHash.nullable(),
  /** The most recent hashes, newest first, the current one included. */
  passwordHistory: z.array(bcryptHash),
  passwordChangedAt: epochMs.nullable(),
  /** Bumped by every password change and revocation; tokens and sessions carry it. */
  credentialVersion: z.number().int().positive(),
  verification: verificationStateSchema,
  selfServiceLocked: z.boolean(),
  lockedReason: z.string().nullable(),
  lockedAt: epochMs.nullable(),
  slackUsers: z.array(slackUserRefSchema),
  /**
   * With a directory: when it locked the account after too many failed sign-ins anywhere
   * (read from the directory, never stored by the product).
   */
  directoryLockedAt: epochMs.nullable().optional(),
});

export type Account = z.infer<typeof accountSchema>;

/** What a caller supplies to create an account; the directory fills in the rest. */
export const createAccountInputSchema = z.object({
  loginEmail: emailSchema.nullable(),
  accountName: requiredText(64),
  industry: requiredText(64).nullable().default(null),
  contactNumber: e164Schema.nullable().default(null),
  contactEmail: emailSchema.nullable().default(null),
  contactEmailVerified: z.boolean().default(false),
  contactAddress: contactAddressSchema.nullable().default(null),
  securityMobile: e164Schema.nullable().default(null),
  verificationEmail: emailSchema.nullable().default(null),
  passwordHash: bcryptHash.nullable().default(null),
});

export type CreateAccountInput = z.input<typeof createAccountInputSchema>;

/** The fields a person edits themselves (SPEC §3.2–3.6); the login email has its own path. */
export const profilePatchSchema = z
  .object({
    accountName: requiredText(64),
    industry: requiredText(64).nullable(),
    contactNumber: e164Schema.nullable(),
    contactEmail: emailSchema.nullable(),
    contactEmailVerified: z.boolean(),
    contactAddress: contactAddressSchema.nullable(),
    securityMobile: e164Schema.nullable(),
    verificationEmail: emailSchema.nullable(),
  })
  .partial()
  .strict();

export type ProfilePatch = z.infer<typeof profilePatchSchema>;

/**
 * APPID: "1", the account id zero-padded to 10 digits, then a Luhn check digit — 12
 * digits, one per account, and the account id can be read back from it.
 */
export function appIdFor(accountId: string): string {
  const body = `1${accountId.padStart(10, '0')}`;
  if (!/^\d{11}$/.test(body)) throw new RangeError(`account id ${accountId} does not fit an APPID`);
  return body + luhnCheckDigit(body);
}

function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Login emails are unique regardless of case; this is the form the uniqueness index uses. */
export function loginEmailKey(email: string): string {
  return email.trim().toLowerCase();
}

const DOCUMENT_TYPES = ['passport', 'drivers-license', 'work-permit', 'business-licence'] as const;

/** The compact form written by src/services/documents.ts: version, IV, ciphertext, tag. */
const encryptedDocumentSchema = z
  .string()
  .regex(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/, 'an encrypted document number');

/**
 * An uploaded document image, stored encrypted in the document store under `ref`. The record
 * outlives the image (retention): it keeps only that an image existed and its keyed hash.
 */
export const documentImageSchema = z.object({
  ref: z.string().regex(/^\d+\.[0-9a-f]{32}$/, 'a document image reference'),
  contentType: z.enum(['image/jpeg', 'image/png', 'application/pdf']),
  bytes: z.number().int().positive(),
  /** HMAC-SHA-256 of the file under a key derived from the document key, hex. */
  digest: z.string().regex(/^[0-9a-f]{64}$/, 'a hex SHA-256 digest'),
});

export type DocumentImage = z.infer<typeof documentImageSchema>;

export const submissionInputSchema = z
  .object({
    kind: z.enum(['individual', 'organization']),
    documentType: z.enum(DOCUMENT_TYPES),
    /** Full legal name (individual) or company name (organization). */
    name: requiredText(128),
    /** Issuing country/region (individual) or registered region (organization). */
    region: regionSchema,
    documentNumberEncrypted: encryptedDocumentSchema,
    /** Keyed hash of the normalised number: the uniqueness key, never reversible. */
    documentHash: z.string().regex(/^[0-9a-f]{64}$/, 'a hex SHA-256 digest'),
    /** What Slack may show, e.g. `E1****78`. */
    documentNumberMasked: z.string().min(1).max(64),
    image: documentImageSchema.nullable().default(null),
  })
  .refine((input) => (input.kind === 'organization') === (input.documentType === 'business-licence'), {
    message: 'organizations submit a business licence; individuals a passport, license or permit',
    path: ['documentType'],
  });

export type SubmissionInput = z.input<typeof submissionInputSchema>;

const SUBMISSION_STATUSES = ['pending', 'approved', 'rejected'] as const;

export const submissionSchema = z.object({
  id: z.string().regex(/^\d+-[0-9a-f]{16}$/, 'a submission id'),
  accountId: accountIdSchema,
  kind: z.enum(['individual', 'organization']),
  documentType: z.enum(DOCUMENT_TYPES),
  name: requiredText(128),
  region: regionSchema,
  documentNumberEncrypted: encryptedDocumentSchema,
  documentHash: z.string().regex(/^[0-9a-f]{64}$/),
  documentNumberMasked: z.string().min(1).max(64),
  image: documentImageSchema.nullable(),
  submittedAt: epochMs,
  status: z.enum(SUBMISSION_STATUSES),
  decision: z.object({ reviewer: z.string().min(1), at: epochMs, reason: z.string().optional() }).nullable(),
});

export type VerificationSubmission = z.infer<typeof submissionSchema>;

/** Submission ids start with the account id, so a reviewer's button finds the account's data. */
export function accountIdOfSubmission(submissionId: string): string | null {
  const match = /^(\d+)-[0-9a-f]{16}$/.exec(submissionId);
  return match?.[1] ?? null;
}
