/**
 * Form fields: zod schemas whose every error is a catalog key (machines/shared/messages.ts),
 * and `validateForm`, which turns a failed parse into `{ field: key and values }`. Each surface
 * turns those into sentences with `fieldErrorText`, so Slack and the web say the same thing
 * and snapshots never hold prose.
 */
import { parsePhoneNumberFromString, type NumberType } from 'libphonenumber-js/max';
import { z } from 'zod';
import {
  fieldErrorKeys,
  type FieldError,
  type FieldErrorKey,
  type FieldErrors,
} from '../../machines/shared/messages.js';
import { messages } from '../messages/catalog.js';
import { INDUSTRIES, type Industry } from '../domain/account.js';

/** Key for an error that belongs to the whole form rather than one field. */
export const FORM_ERROR_KEY = '_form';

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** zod carries our key as an issue's message and the sentence's values as its params. */
function problem(error: FieldError): { message: FieldErrorKey; params?: Record<string, unknown> } {
  return 'params' in error ? { message: error.key, params: error.params } : { message: error.key };
}

function isFieldErrorKey(value: string): value is FieldErrorKey {
  return (fieldErrorKeys as readonly string[]).includes(value);
}

function fieldErrorOf(issue: z.core.$ZodIssue): FieldError {
  const key = isFieldErrorKey(issue.message) ? issue.message : 'invalid';
  if (key === 'tooLong' || key === 'postalCode.forRegion') {
    const params = issue.code === 'custom' ? issue.params : undefined;
    // Both are only ever raised through `problem`, which always sets their values.
    return params === undefined ? { key: 'invalid' } : ({ key, params } as FieldError);
  }
  return { key } as FieldError;
}

export function validateForm<S extends z.ZodType>(schema: S, input: unknown): FormResult<z.output<S>> {
  // Any check without its own key still answers with a catalog key, never zod's English.
  const parsed = schema.safeParse(input, {
    error: (issue) => (issue.input == null ? 'required' : 'invalid'),
  });
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : FORM_ERROR_KEY;
    errors[field] ??= fieldErrorOf(issue);
  }
  return { ok: false, errors };
}

/** The first thing wrong with a single value checked by one schema. */
export function firstProblem(schema: z.ZodType, input: unknown): FieldError | null {
  const checked = validateForm(schema, input);
  return checked.ok ? null : (Object.values(checked.errors)[0] ?? { key: 'invalid' });
}

/**
 * What no field may hold: controls, line and paragraph separators (a field value is one
 * line), format characters (zero-width joiners and spaces, word joiners, bidi overrides: they
 * hide what a value really says) and lone surrogates (never typed, only forged).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
/** A zero-width joiner between two emoji builds one emoji (👩‍💻): the one visible use. */
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})/gu;

function hasInvisible(value: string, allowed: RegExp | null = null): boolean {
  const visible = value.replace(EMOJI_JOINER, '');
  return INVISIBLE.test(allowed ? visible.replace(allowed, '') : visible);
}

/**
 * A string field, and the one place typed text is checked for invisible characters and
 * NFC-normalised (so "é" typed either way is stored the same). Slack sends an empty input as
 * null, which reads as "required".
 */
function text(emptyKey: FieldErrorKey) {
  return z
    .string({ error: (issue) => (issue.input == null ? emptyKey : 'notText') })
    .trim()
    .normalize('NFC')
    .refine((value) => !hasInvisible(value), 'controlCharacters');
}

const tooLong = (max: number) => problem({ key: 'tooLong', params: { max } });

function requiredText(emptyKey: FieldErrorKey, max: number, tooLongKey?: FieldErrorKey) {
  // No `abort`: an aborted field stops the form-level checks, hiding their errors; validateForm
  // shows only the first key per field anyway.
  return text(emptyKey)
    .refine((value) => value.length > 0, emptyKey)
    .refine((value) => [...value].length <= max, tooLongKey ?? tooLong(max));
}

/**
 * The longest value each form field takes. Modals declare these as `max_length` and the
 * schemas below enforce the same numbers, so a forged submission gets no more room.
 */
export const TEXT_LIMITS = {
  accountName: 64,
  fullName: 128,
  companyName: 128,
  state: 64,
  city: 64,
  address: 256,
  postalCode: 16,
  fullLegalName: 128,
  documentNumber: 64,
  rejectReason: 500,
  email: 254,
  phone: 40,
} as const;

/** Free text over several lines (a reviewer's reason): line breaks allowed, nothing else invisible. */
function multilineText(emptyKey: FieldErrorKey, max: number) {
  return z
    .string({ error: (issue) => (issue.input == null ? emptyKey : 'notText') })
    .trim()
    .normalize('NFC')
    .refine((value) => value.length > 0, emptyKey)
    .refine((value) => !hasInvisible(value, /\r?\n/g), 'invisibleCharacters')
    .refine((value) => [...value].length <= max, tooLong(max));
}

/** Why an identity submission was rejected: sent to the person by DM, email and SMS. */
export const rejectReason = multilineText('review.reasonRequired', TEXT_LIMITS.rejectReason);

// ---------------------------------------------------------------- email

const EMAIL_LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_DOMAIN =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/** RFC 5321 limits: 64 octets before the @, 254 in all (the path limit minus its brackets). */
function isEmailAddress(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at < 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  return (
    local.length <= 64 && domain.length <= 253 && EMAIL_LOCAL_PART.test(local) && EMAIL_DOMAIN.test(domain)
  );
}

/** Trimmed, domain lower-cased; the local part keeps its case because servers may honour it. */
export const emailAddress = text('email.invalid')
  .max(TEXT_LIMITS.email, 'email.tooLong')
  .refine(isEmailAddress, 'email.invalid')
  .transform((value) => {
    const at = value.lastIndexOf('@');
    return `${value.slice(0, at)}@${value.slice(at + 1).toLowerCase()}`;
  });

// ---------------------------------------------------------------- phone

const ANY_PHONE: readonly NumberType[] = ['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE'];
// Some plans (US, CA, …) do not tell mobile from fixed line; such numbers are let through.
const SMS_CAPABLE: readonly NumberType[] = ['MOBILE', 'FIXED_LINE_OR_MOBILE'];

function phoneSchema(allowed: readonly NumberType[], wrongTypeKey: FieldErrorKey) {
  return text('phone.invalid')
    .max(TEXT_LIMITS.phone, 'phone.invalid')
    .transform((value, ctx) => {
      // The whole value must be the number: no trailing words, markup or extension.
      const phone = parsePhoneNumberFromString(value.replace(/^00/, '+'), { extract: false });
      if (phone?.ext !== undefined) {
        ctx.addIssue({ code: 'custom', message: 'phone.extension' });
        return z.NEVER;
      }
      if (!phone?.isValid()) {
        ctx.addIssue({ code: 'custom', message: 'phone.invalid' });
        return z.NEVER;
      }
      const type = phone.getType();
      if (type === undefined || !allowed.includes(type)) {
        ctx.addIssue({ code: 'custom', message: wrongTypeKey });
        return z.NEVER;
      }
      return phone.number;
    });
}

/** Contact number: a valid mobile or fixed-line number, as E.164. */
export const phoneNumber = phoneSchema(ANY_PHONE, 'phone.invalid');
/** A number that must receive codes by SMS (security mobile), as E.164. */
export const mobileNumber = phoneSchema(SMS_CAPABLE, 'phone.notMobile');

// ---------------------------------------------------------------- account

export const accountName = requiredText('accountName.empty', TEXT_LIMITS.accountName, 'accountName.tooLong');

/** The fixed list, in display order, for select menus. */
export const INDUSTRY_OPTIONS: readonly { value: Industry; label: string }[] = INDUSTRIES.map((value) => ({
  value,
  label: messages.validation.industry.labels[value],
}));

export const industry = z.enum(INDUSTRIES, 'industry.invalid');

// ---------------------------------------------------------------- region and postal code

/** ISO 3166-1 alpha-2, officially assigned codes (249). */
export const REGION_CODES: ReadonlySet<string> = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV ' +
    'BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ' +
    'ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE ' +
    'IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY ' +
    'MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU ' +
    'NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM ' +
    'SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE ' +
    'VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

const regionCode = text('region.invalid')
  .toUpperCase()
  .refine((value) => REGION_CODES.has(value), 'region.invalid');

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

export function regionName(code: string): string {
  return regionNames.of(code) ?? code;
}

interface PostalCodeFormat {
  /** Tested against the code upper-cased with spaces and dashes removed. */
  compact: RegExp;
  /** The canonical written form, shown in the error message. */
  example: string;
  format?: (compact: string) => string;
}

const spaceBeforeLast = (count: number) => (compact: string) =>
  `${compact.slice(0, -count)} ${compact.slice(-count)}`;
const dashBeforeLast = (count: number) => (compact: string) =>
  `${compact.slice(0, -count)}-${compact.slice(-count)}`;

/**
 * Regions whose postal codes we check (national postal services' published formats). Any
 * other region takes a non-empty code of at most 16 characters as typed.
 */
export const POSTAL_CODE_FORMATS: Readonly<Record<string, PostalCodeFormat>> = {
  AU: { compact: /^\d{4}$/, example: '2000' },
  BR: { compact: /^\d{8}$/, example: '01310-100', format: dashBeforeLast(3) },
  CA: {
    compact: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\d[ABCEGHJ-NPRSTV-Z]\d$/,
    example: 'K1A 0B1',
    format: spaceBeforeLast(3),
  },
  CN: { compact: /^\d{6}$/, example: '100000' },
  DE: { compact: /^\d{5}$/, example: '10115' },
  ES: { compact: /^(?:0[1-9]|[1-4]\d|5[0-2])\d{3}$/, example: '28001' },
  FR: { compact: /^\d{5}$/, example: '75008' },
  GB: {
    compact: /^(?:GIR0AA|[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2})$/,
    example: 'SW1A 1AA',
    format: spaceBeforeLast(3),
  },
  IN: { compact: /^[1-9]\d{5}$/, example: '110001' },
  IT: { compact: /^\d{5}$/, example: '00184' },
  JP: { compact: /^\d{7}$/, example: '100-0001', format: dashBeforeLast(4) },
  KR: { compact: /^\d{5}$/, example: '03187' },
  NL: { compact: /^[1-9]\d{3}[A-Z]{2}$/, example: '1012 AB', format: spaceBeforeLast(2) },
  SG: { compact: /^\d{6}$/, example: '018956' },
  US: {
    compact: /^\d{5}(?:\d{4})?$/,
    example: '94105 or 94105-1234',
    format: (c) => (c.length === 9 ? dashBeforeLast(4)(c) : c),
  },
};

/** The canonical form of a postal code for a region, or null when it cannot be one there. */
export function normalizePostalCode(region: string, postalCode: string): string | null {
  const trimmed = postalCode.trim();
  const known = POSTAL_CODE_FORMATS[region];
  if (!known) return trimmed.length > 0 && [...trimmed].length <= 16 ? trimmed : null;
  const compact = trimmed.toUpperCase().replace(/[\s-]/g, '');
  if (!known.compact.test(compact)) return null;
  return known.format ? known.format(compact) : compact;
}

export const contactAddress = z
  .object({
    fullName: requiredText('address.fullName', TEXT_LIMITS.fullName),
    companyName: requiredText('address.companyName', TEXT_LIMITS.companyName),
    region: regionCode,
    state: requiredText('address.state', TEXT_LIMITS.state),
    city: requiredText('address.city', TEXT_LIMITS.city),
    address: requiredText('address.address', TEXT_LIMITS.address),
    postalCode: requiredText('address.postalCode', TEXT_LIMITS.postalCode, 'address.postalCode'),
  })
  .superRefine(
    ({ region, postalCode }, ctx) => {
      const known = POSTAL_CODE_FORMATS[region];
      if (known && normalizePostalCode(region, postalCode) === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['postalCode'],
          ...problem({
            key: 'postalCode.forRegion',
            params: { regionName: regionName(region), example: known.example },
          }),
        });
      }
    },
    // Checked even when other fields are missing, so every error shows at once.
    { when: ({ value }) => hasStrings(value, 'region', 'postalCode') },
  )
  .transform((address) => ({
    ...address,
    postalCode: normalizePostalCode(address.region, address.postalCode) ?? address.postalCode,
  }));

function hasStrings(value: unknown, ...keys: string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return keys.every((key) => typeof record[key] === 'string');
}

// ---------------------------------------------------------------- documents

const DOCUMENT_TYPES = ['passport', 'drivers-license', 'work-permit'] as const;
type DocumentType = (typeof DOCUMENT_TYPES)[number];
type DocumentKind = DocumentType | 'business-licence';

/**
 * Deliberately loose, since formats differ by issuer; each needs at least one digit.
 * passport: ICAO 9303 gives the document number 9 characters; national formats use 6 to 9.
 * driver's licences and work permits: 5 to 20 (US states, EU cards, 18-character CN IDs).
 * business licence: registration numbers world-wide, 4 to 20; CN is checked more closely below.
 */
const DOCUMENT_NUMBER_FORMATS: Readonly<Record<DocumentKind, RegExp>> = {
  passport: /^(?=.*\d)[A-Z0-9]{6,9}$/,
  'drivers-license': /^(?=.*\d)[A-Z0-9]{5,20}$/,
  'work-permit': /^(?=.*\d)[A-Z0-9]{5,20}$/,
  'business-licence': /^(?=.*\d)[A-Z0-9]{4,20}$/,
};

/**
 * Mainland China unified social credit code (GB 32100-2015): 18 characters without I, O, S,
 * V, Z. Its check character is not verified: codes issued in early pilot regions fail it yet
 * are legal.
 */
const CN_SOCIAL_CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** Full-width forms folded, upper-cased, spaces and dashes removed: "e 1234-5678" → "E12345678". */
export function normalizeDocumentNumber(raw: string): string {
  return raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\p{Pd}]/gu, '');
}

function isDocumentType(value: unknown): value is DocumentType {
  return (DOCUMENT_TYPES as readonly unknown[]).includes(value);
}

function isDocumentNumber(kind: DocumentKind, normalized: string, region?: string): boolean {
  if (kind === 'business-licence' && region === 'CN') return CN_SOCIAL_CREDIT_CODE.test(normalized);
  return DOCUMENT_NUMBER_FORMATS[kind].test(normalized);
}

function documentNumberField() {
  return text('required')
    .refine((value) => value.length <= TEXT_LIMITS.documentNumber, tooLong(TEXT_LIMITS.documentNumber))
    .transform(normalizeDocumentNumber)
    .refine((value) => value.length > 0, 'required');
}

/** An uploaded image is referred to by its upload id; the upload itself is checked where it lands. */
const imageReference = z
  .string('identity.image')
  .regex(/^[A-Za-z0-9._:-]{1,200}$/, 'identity.image')
  .nullish()
  .transform((value) => value ?? undefined);

// ---------------------------------------------------------------- identity submissions (SPEC §3.10)

const individualIdentity = z
  .object({
    kind: z.literal('individual'),
    documentType: z.enum(DOCUMENT_TYPES, 'document.type'),
    fullLegalName: requiredText(
      'identity.fullLegalName',
      TEXT_LIMITS.fullLegalName,
      'identity.fullLegalName',
    ),
    documentNumber: documentNumberField(),
    issuingRegion: regionCode,
    documentImage: imageReference,
  })
  .superRefine(
    ({ documentType, documentNumber }, ctx) => {
      if (!isDocumentNumber(documentType, documentNumber)) {
        ctx.addIssue({ code: 'custom', path: ['documentNumber'], message: `document.${documentType}` });
      }
    },
    {
      when: ({ value }) =>
        hasStrings(value, 'documentNumber') &&
        isDocumentType((value as { documentType?: unknown }).documentType),
    },
  );

const organizationIdentity = z
  .object({
    kind: z.literal('organization'),
    companyName: requiredText('identity.companyName', TEXT_LIMITS.companyName, 'identity.companyName'),
    businessLicenceNumber: documentNumberField(),
    registeredRegion: regionCode,
    licenceImage: imageReference,
  })
  .superRefine(
    ({ businessLicenceNumber, registeredRegion }, ctx) => {
      const region = registeredRegion.trim().toUpperCase();
      if (!isDocumentNumber('business-licence', businessLicenceNumber, region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['businessLicenceNumber'],
          message: region === 'CN' ? 'document.businessLicenceCn' : 'document.business-licence',
        });
      }
    },
    { when: ({ value }) => hasStrings(value, 'businessLicenceNumber', 'registeredRegion') },
  );

export const identitySubmission = z.discriminatedUnion(
  'kind',
  [individualIdentity, organizationIdentity],
  'identity.kind',
);
