import type { FieldError, FieldErrorKey, FieldErrorParams } from '../../machines/shared/messages.js';
import type { Industry } from '../domain/account.js';
import { common } from './common.js';
import { credentials } from './credentials.js';
import { directory } from './directory.js';
import { engine } from './engine.js';
import { review } from './review.js';

/**
 * Field errors shown beside form inputs (Slack `response_action: errors`, web forms).
 * Each says what is wrong and what a good value looks like.
 */
export const validation = {
  required: 'This field is required. Please fill it in.',
  notText: 'Please type plain text into this field.',
  invalid: 'This value is not valid here. Please check it and try again.',
  controlCharacters: 'Remove line breaks, tabs and other invisible characters from this field.',
  /** A multi-line field: line breaks are fine there, other invisible characters are not. */
  invisibleCharacters: 'Remove tabs and other invisible characters from this field.',
  tooLong: (max: number) => `Please keep this to ${max} characters or fewer.`,

  email: {
    invalid: 'Enter an email address such as name@example.com.',
    tooLong: 'This email address is too long: use one of at most 254 characters.',
  },
  phone: {
    invalid:
      'Enter a valid phone number including the country code, for example +86 138 0013 8000 or +1 415 555 2671.',
    extension:
      'Extensions cannot receive codes or text messages. Enter the number without the extension, for example +1 415 555 2671.',
    notMobile:
      'This number cannot receive text messages. Enter a mobile number including the country code, for example +86 138 0013 8000.',
  },
  accountName: {
    empty: 'Enter an account name of 1 to 64 characters.',
    tooLong: 'Account names can have at most 64 characters. Please shorten it.',
  },
  industry: {
    invalid: 'Choose an industry from the list.',
    labels: {
      internet: 'Internet',
      software: 'Software and IT services',
      'e-commerce': 'E-commerce and retail',
      finance: 'Finance and insurance',
      education: 'Education',
      healthcare: 'Healthcare and life sciences',
      manufacturing: 'Manufacturing',
      media: 'Media and entertainment',
      gaming: 'Gaming',
      telecommunications: 'Telecommunications',
      logistics: 'Transportation and logistics',
      energy: 'Energy and utilities',
      'real-estate': 'Real estate and construction',
      government: 'Government and public sector',
      'non-profit': 'Non-profit organizations',
      other: 'Other',
    } satisfies Record<Industry, string>,
  },
  address: {
    fullName: 'Enter the full name of the contact person.',
    companyName: 'Enter the company name.',
    state: 'Enter the state, province or prefecture.',
    city: 'Enter the city.',
    address: 'Enter the street address.',
    postalCode: 'Enter the postal code (at most 16 characters).',
  },
  region: {
    invalid: 'Choose a country or region (a two-letter code such as CN, US or GB).',
  },
  postalCode: {
    forRegion: (regionName: string, example: string) =>
      `This is not a valid postal code for ${regionName}. It should look like ${example}.`,
  },
  document: {
    type: 'Choose a document type: passport, driver’s license or work permit.',
    passport: 'Enter the passport number as printed: 6 to 9 letters and digits, for example E12345678.',
    'drivers-license': 'Enter the driver’s license number as printed: 5 to 20 letters and digits.',
    'work-permit': 'Enter the work permit number as printed: 5 to 20 letters and digits.',
    'business-licence':
      'Enter the business licence or company registration number: 4 to 20 letters and digits.',
    businessLicenceCn:
      'A Mainland China business licence number (unified social credit code) has 18 letters and digits, for example 91350100M000100Y43.',
  },
  identity: {
    kind: 'Choose whether you verify as an individual or as an organization.',
    fullLegalName: 'Enter your full legal name exactly as on the document (at most 128 characters).',
    companyName: 'Enter the company name exactly as on the business licence (at most 128 characters).',
    image: 'The attached image could not be recognised. Please upload it again.',
    imageEmpty: 'The attached file is empty. Please attach the photo or scan again.',
    imageTooLarge:
      'The attached file is larger than 10 MB. Please attach a smaller photo or scan (JPEG, PNG or PDF).',
    imageType:
      'The attached file is not a JPEG, PNG or PDF (checked by its content, not its name). Please attach a photo or scan in one of those formats.',
    imageTruncated: 'The attached file is incomplete or damaged. Please attach it again.',
    imageDimensions:
      'The attached image has too many pixels (at most 12,000 on a side and 64 megapixels). Please attach a smaller photo or scan.',
    imageGone: 'The attached file is no longer available. Please attach it again.',
    imageUnavailable:
      'The attached file could not be fetched from Slack just now. Nothing was stored; please submit again.',
    imageStoreUnavailable:
      'The attached file could not be stored just now because something on our side is briefly unavailable. Nothing was submitted; please submit again in a minute.',
    imageNoAccount:
      'Your Slack user is not linked to an account yet, so the file was not stored. Link your account first.',
  },
} as const;

type Sentence<K extends FieldErrorKey> = K extends keyof FieldErrorParams
  ? (params: FieldErrorParams[K]) => string
  : string;

/** Each validator key's sentence; the mapped type makes a key without one a type error. */
const fieldErrorSentences: { [K in FieldErrorKey]: Sentence<K> } = {
  required: validation.required,
  notText: validation.notText,
  invalid: validation.invalid,
  controlCharacters: validation.controlCharacters,
  invisibleCharacters: validation.invisibleCharacters,
  tooLong: ({ max }) => validation.tooLong(max),
  'email.invalid': validation.email.invalid,
  'email.tooLong': validation.email.tooLong,
  'phone.invalid': validation.phone.invalid,
  'phone.extension': validation.phone.extension,
  'phone.notMobile': validation.phone.notMobile,
  'address.same': engine.sameAddress,
  'accountName.empty': validation.accountName.empty,
  'accountName.tooLong': validation.accountName.tooLong,
  'industry.invalid': validation.industry.invalid,
  'address.fullName': validation.address.fullName,
  'address.companyName': validation.address.companyName,
  'address.state': validation.address.state,
  'address.city': validation.address.city,
  'address.address': validation.address.address,
  'address.postalCode': validation.address.postalCode,
  'region.invalid': validation.region.invalid,
  'postalCode.forRegion': ({ regionName, example }) => validation.postalCode.forRegion(regionName, example),
  'document.type': validation.document.type,
  'document.passport': validation.document.passport,
  'document.drivers-license': validation.document['drivers-license'],
  'document.work-permit': validation.document['work-permit'],
  'document.business-licence': validation.document['business-licence'],
  'document.businessLicenceCn': validation.document.businessLicenceCn,
  needsSupport: common.needsSupport,
  'identity.kind': validation.identity.kind,
  'identity.fullLegalName': validation.identity.fullLegalName,
  'identity.companyName': validation.identity.companyName,
  'identity.image': validation.identity.image,
  'identity.imageGone': validation.identity.imageGone,
  'identity.submissionPending': engine.submissionPending,
  'review.reasonRequired': review.modal.reasonRequired,
  'password.tooShort': ({ min }) => credentials.rules.tooShort(min),
  'password.tooLong': ({ max }) => credentials.rules.tooLong(max),
  'password.bytes': ({ maxBytes }) => credentials.rules.bytes(maxBytes),
  'password.letter': credentials.rules.letter,
  'password.digit': credentials.rules.digit,
  'password.symbol': credentials.rules.symbol,
  'password.spaces': credentials.rules.spaces,
  'password.asciiOnly': credentials.rules.asciiOnly,
  'password.printable': credentials.rules.printable,
  'password.history': ({ count }) => credentials.rules.history(count),
  'password.common': credentials.rules.common,
  'password.loginEmail': credentials.rules.loginEmail,
  'password.context': credentials.rules.context,
  'password.wrongCurrent': ({ attemptsLeft }) => engine.wrongCurrentPassword(attemptsLeft),
  'password.confirmationDiffers': engine.passwordsDiffer,
  'password.directoryLocked': directory.lockedOut,
  'password.directory.too-short': directory.refusals['too-short'],
  'password.directory.in-history': directory.refusals['in-history'],
  'password.directory.too-young': directory.refusals['too-young'],
  'password.directory.too-young-until': ({ changeableAt }) => directory.tooYoungUntil(changeableAt),
  'password.directory.quality': directory.refusals.quality,
  'password.directory.not-allowed': directory.refusals['not-allowed'],
  'directory.refusedAccess': ({ field }) => directory.writeRefused.access(field),
  'directory.refusedSchema': ({ field }) => directory.writeRefused.schema(field),
};

/** The sentence for a validator's answer, the same on every surface. */
export function fieldErrorText(error: FieldError): string {
  const sentence = fieldErrorSentences[error.key] as string | ((params: unknown) => string);
  return typeof sentence === 'string' ? sentence : sentence('params' in error ? error.params : undefined);
}

const keyOfSentence = new Map<string, FieldError>(
  Object.entries(fieldErrorSentences).flatMap(([key, sentence]) =>
    typeof sentence === 'string' ? [[sentence, { key } as FieldError]] : [],
  ),
);

/**
 * The key for a sentence stored before validators answered with keys. A sentence with
 * values in it, or one reworded since, reads as the generic "not valid here".
 */
export function fieldErrorOfSentence(sentence: string): FieldError {
  return keyOfSentence.get(sentence) ?? { key: 'invalid' };
}
