import type { AccountAddressField } from './codes.js';
import type { FieldError, FieldErrors } from './messages.js';

/**
 * Inputs and outputs of the actors the engine provides. Every input has `step`: the engine
 * keys the effect by flow id + step, because XState re-runs an in-flight actor with its
 * saved input when a snapshot is restored. No input holds a secret unless its doc says so,
 * and those are invoked only from states tagged `holdsSecret`.
 */

/** Normalises and validates a new address (E.164 number or email). */
export interface CheckValueInput {
  step: string;
  field: AccountAddressField;
  value: string;
}

/**
 * `taken` is only ever true for the login email: the machine keeps it to itself and answers
 * exactly as for a free address until the code step.
 */
export type CheckValueOutput =
  { outcome: 'ok'; value: string; taken: boolean } | { outcome: 'invalid'; error: FieldError };

/**
 * Writes the confirmed address. `verified: false` (contact email before its code) stores it
 * as unverified; the service schedules the reminder to verify it.
 */
export interface SaveChangeInput {
  step: string;
  field: AccountAddressField;
  value: string;
  verified: boolean;
}

/**
 * `conflict`: the address became unusable meanwhile (taken login email, changed account).
 * `refused`: the company directory would not take it (its access rules or schema); nothing saved.
 */
export type SaveChangeOutput =
  { outcome: 'saved' } | { outcome: 'conflict' } | { outcome: 'refused'; error: FieldError };

export type NotifyKind =
  | 'securityMobileChanged'
  | 'verificationEmailChanged'
  | 'loginEmailChanged'
  | 'passwordChanged'
  | 'passwordReset'
  | 'identityApproved'
  | 'identityRejected'
  | 'identityReviewOverdue'
  | 'linkNoMatch'
  | 'accountUnlocked';

/** Queues the notification (DM, email, SMS as the kind requires); resolves once queued. */
export interface NotifyInput {
  step: string;
  kind: NotifyKind;
  /**
   * A review decision: the decided submission, whose reason the messages carry (a verified
   * account keeps its status after a rejected change, so the account holds no reason).
   */
  submissionId?: string;
}

/** Clears the directory's lockout after failed sign-ins (SPEC 3.12). */
export interface UnlockDirectoryInput {
  step: string;
}

export type UnlockDirectoryOutput = { outcome: 'unlocked' } | { outcome: 'notLocked' };

export type BasicInfoSection = 'name' | 'industry' | 'address';

/** Validates (name 1–64, industry from the list, all seven address fields) and saves. */
export interface SaveBasicInfoInput {
  step: string;
  section: BasicInfoSection;
  values: Record<string, string>;
}

export type SaveBasicInfoOutput = { outcome: 'saved' } | { outcome: 'invalid'; fieldErrors: FieldErrors };

/**
 * Mints the single-use change-password page link for this flow. The output is a handle, not
 * the link: the token exists only in the message the adapter renders from the handle.
 */
export interface MintPasswordLinkInput {
  step: string;
}

export interface MintPasswordLinkOutput {
  linkId: string;
  expiresAt: number;
}

/** Queues the reset email when an account has this login email; answers the same either way. */
export interface RequestResetLinkInput {
  step: string;
  loginEmail: string;
}

/**
 * Checks the new password against the policy and stages its hash for this flow. Input holds
 * the password: invoked only from a `holdsSecret` state.
 */
export interface StageNewPasswordInput {
  step: string;
  password: string;
}

export type StageNewPasswordOutput =
  { outcome: 'staged' } | { outcome: 'rejected'; violations: FieldError[] };

/** Saves the staged hash, consumes the reset link and revokes the account's other links and codes. */
export interface CommitNewPasswordInput {
  step: string;
}

export type CommitNewPasswordOutput =
  | { outcome: 'saved' }
  | { outcome: 'linkInvalid' }
  /** The directory's own policy refused the password; the link stays valid for another. */
  | { outcome: 'refused'; violations: FieldError[] };

export type IdentitySubject = 'individual' | 'organization';

interface IndividualDetails {
  subject: 'individual';
  documentType: 'passport' | 'driversLicense' | 'workPermit';
  fullLegalName: string;
  documentNumber: string;
  issuingRegion: string;
  documentImageId?: string;
}

export interface OrganizationDetails {
  subject: 'organization';
  companyName: string;
  businessLicenceNumber: string;
  registeredRegion: string;
  licenceImageId?: string;
}

export type IdentityDetails = IndividualDetails | OrganizationDetails;

/**
 * Validates, encrypts the document number, enforces one account per number and files the
 * submission for review. Input holds the document number: invoked from a `holdsSecret` state.
 */
export interface SubmitIdentityInput {
  step: string;
  details: IdentityDetails;
}

export type SubmitIdentityOutput =
  | { outcome: 'submitted'; submissionId: string; expectedBy: number }
  | { outcome: 'invalid'; fieldErrors: FieldErrors };

export type ReviewDecision = { decision: 'approved' } | { decision: 'rejected'; reason: string };

export interface RecordReviewInput {
  step: string;
  submissionId: string;
  reviewerId: string;
  decision: ReviewDecision;
}

/** Finds the account whose login email equals the Slack profile email of the flow's user. */
export interface FindAccountInput {
  step: string;
}

export type FindAccountOutput = { outcome: 'found' } | { outcome: 'noMatch' } | { outcome: 'alreadyLinked' };

export interface LinkAccountInput {
  step: string;
}

/**
 * The change-password page's form: checks the current password (counting wrong ones toward
 * the cooldown), the confirmation and the policy, then saves. Input holds the passwords:
 * invoked only from a `holdsSecret` state.
 */
export interface ChangePasswordOnPageInput {
  step: string;
  current: string;
  password: string;
  confirmation: string;
}

/**
 * `refused`: catalog keys saying what to fix; `cooledDown`: five wrong current passwords, tries
 * stop until `retryAt`; `held`: another save of this link is running; `unavailable`: a store
 * did not answer, nothing was saved.
 */
export type ChangePasswordOnPageOutput =
  | { outcome: 'changed' }
  | { outcome: 'refused'; errors: FieldError[] }
  | { outcome: 'cooledDown'; retryAt: number }
  | { outcome: 'held' }
  | { outcome: 'unavailable' };
