/**
 * Message keys the machines put in context and output. Machines never hold prose: the
 * Slack and web adapters look each key up in the message catalog (src/messages/), so a
 * key added here needs its sentence there.
 */
export const flowMessageKeys = [
  'flow.completed',
  'flow.cancelled',
  'flow.idleExpired',
  'flow.effectFailed',
  'flow.hashingBusy',
  'code.wrong',
  'code.expired',
  'code.exhausted',
  'code.noLiveCode',
  'code.locked',
  'code.resendTooSoon',
  'code.sendLimit',
  'code.resent',
  'stepUp.verified',
  'stepUp.windowOpen',
  'stepUp.noMethod',
  'stepUp.attemptOver',
  'stepUp.locked',
  'change.saved',
  'change.savedNotifyFailed',
  'change.conflict',
  'contactEmail.savedUnverified',
  'loginEmail.changeFailed',
  'basicInfo.saved',
  'password.needsLoginEmail',
  'password.linkExpired',
  'password.changed',
  'password.currentPasswordCooldown',
  'password.mismatch',
  'reset.linkOnItsWay',
  'reset.linkInvalid',
  'reset.passwordSaved',
  'identity.submitted',
  'identity.verified',
  'identity.rejected',
  'identity.rejectReasonRequired',
  'identity.reviewFailed',
  'link.linked',
  'link.supportNotified',
  'link.alreadyLinked',
  'unlock.unlocked',
  'unlock.notLocked',
] as const;

export type FlowMessageKey = (typeof flowMessageKeys)[number];

/**
 * What a validator can say is wrong with a field. Like the flow keys these are catalog keys
 * (src/messages/validation.ts holds the sentences); a snapshot stores the key and the values
 * its sentence states, never the sentence.
 */
export const fieldErrorKeys = [
  'required',
  'notText',
  'invalid',
  'controlCharacters',
  'invisibleCharacters',
  'tooLong',
  'email.invalid',
  'email.tooLong',
  'phone.invalid',
  'phone.extension',
  'phone.notMobile',
  'address.same',
  'accountName.empty',
  'accountName.tooLong',
  'industry.invalid',
  'address.fullName',
  'address.companyName',
  'address.state',
  'address.city',
  'address.address',
  'address.postalCode',
  'region.invalid',
  'postalCode.forRegion',
  'document.type',
  'document.passport',
  'document.drivers-license',
  'document.work-permit',
  'document.business-licence',
  'document.businessLicenceCn',
  'needsSupport',
  'identity.kind',
  'identity.fullLegalName',
  'identity.companyName',
  'identity.image',
  'identity.imageGone',
  'identity.submissionPending',
  'review.reasonRequired',
  'password.tooShort',
  'password.tooLong',
  'password.bytes',
  'password.letter',
  'password.digit',
  'password.symbol',
  'password.spaces',
  'password.asciiOnly',
  'password.printable',
  'password.history',
  'password.common',
  'password.loginEmail',
  'password.context',
  'password.wrongCurrent',
  'password.confirmationDiffers',
  'password.directoryLocked',
  'password.directory.too-short',
  'password.directory.in-history',
  'password.directory.too-young',
  'password.directory.too-young-until',
  'password.directory.quality',
  'password.directory.not-allowed',
  'directory.refusedAccess',
  'directory.refusedSchema',
] as const;

export type FieldErrorKey = (typeof fieldErrorKeys)[number];

/** The values a parameterised sentence states; every other key takes none. */
export interface FieldErrorParams {
  tooLong: { max: number };
  'postalCode.forRegion': { regionName: string; example: string };
  'password.tooShort': { min: number };
  'password.tooLong': { max: number };
  'password.bytes': { maxBytes: number };
  'password.history': { count: number };
  'password.wrongCurrent': { attemptsLeft: number };
  'password.directory.too-young-until': { changeableAt: number };
  'directory.refusedAccess': { field: DirectoryField };
  'directory.refusedSchema': { field: DirectoryField };
}

/** What a person can change that a company directory may keep, as its refusals name it. */
export type DirectoryField =
  | 'contactMobile'
  | 'securityMobile'
  | 'contactEmail'
  | 'verificationEmail'
  | 'loginEmail'
  | 'accountName'
  | 'industry'
  | 'contactAddress';

export type FieldError = {
  [K in FieldErrorKey]: K extends keyof FieldErrorParams
    ? { key: K; params: FieldErrorParams[K] }
    : { key: K };
}[FieldErrorKey];

/** Field name → what is wrong with it; `_form` for the form as a whole. */
export type FieldErrors = Record<string, FieldError>;
