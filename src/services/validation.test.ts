import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { messages } from '../messages/catalog.js';
import { fieldErrorText } from '../messages/validation.js';
import {
  accountName,
  contactAddress,
  emailAddress,
  FORM_ERROR_KEY,
  identitySubmission,
  INDUSTRY_OPTIONS,
  industry,
  mobileNumber,
  normalizeDocumentNumber,
  normalizePostalCode,
  phoneNumber,
  POSTAL_CODE_FORMATS,
  REGION_CODES,
  rejectReason,
  TEXT_LIMITS,
  validateForm,
  type FormResult,
} from './validation.js';

const m = messages.validation;

/** validateForm with each error as the sentence every surface shows for its key. */
function checkedForm<S extends z.ZodType>(schema: S, input: unknown) {
  const result: FormResult<z.output<S>> = validateForm(schema, input);
  if (result.ok) return result;
  const errors = Object.entries(result.errors).map(([field, error]) => [field, fieldErrorText(error)]);
  return { ok: false, errors: Object.fromEntries(errors) as Record<string, string> } as const;
}

/** One schema as the single field `value` of a form, as the Slack modals use them. */
function field<S extends z.ZodType>(schema: S, value: unknown) {
  return checkedForm(z.object({ value: schema }), { value });
}

function accepted<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = field(schema, value);
  if (!result.ok) throw new Error(`refused ${JSON.stringify(value)}: ${JSON.stringify(result.errors)}`);
  // zod cannot spell out the output of an object over a generic schema.
  return (result.value as { value: z.output<S> }).value;
}

function refusal<S extends z.ZodType>(schema: S, value: unknown): string | undefined {
  const result = field(schema, value);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(value)}`);
  return result.errors.value;
}

describe('validateForm', () => {
  it('keys the first sentence per field and keeps going through every field', () => {
    const result = checkedForm(z.object({ name: accountName, email: emailAddress, industry }), {
      name: '   ',
      email: 'not-an-email',
    });
    expect(result).toEqual({
      ok: false,
      errors: { name: m.accountName.empty, email: m.email.invalid, industry: m.industry.invalid },
    });
  });

  it('answers catalog keys with the values their sentences state, never sentences', () => {
    const result = validateForm(contactAddress, {
      fullName: 'x'.repeat(TEXT_LIMITS.fullName + 1),
      companyName: 'Acme',
      region: 'GB',
      state: 'London',
      city: 'London',
      address: '1 Road',
      postalCode: '12345',
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        fullName: { key: 'tooLong', params: { max: TEXT_LIMITS.fullName } },
        postalCode: {
          key: 'postalCode.forRegion',
          params: { regionName: 'United Kingdom', example: 'SW1A 1AA' },
        },
      },
    });
    expect(validateForm(z.object({ email: emailAddress }), { email: 'nope' })).toEqual({
      ok: false,
      errors: { email: { key: 'email.invalid' } },
    });
  });

  it('puts errors about the whole input under the form key and never shows zod’s own words', () => {
    const result = checkedForm(z.object({ name: accountName }), 'a string');
    expect(result).toEqual({ ok: false, errors: { [FORM_ERROR_KEY]: m.invalid } });
    const unworded = z.object({ count: z.number().int() });
    expect(checkedForm(unworded, { count: 1.5 })).toEqual({ ok: false, errors: { count: m.invalid } });
    expect(checkedForm(unworded, {})).toEqual({ ok: false, errors: { count: m.required } });
  });

  it('returns the parsed, normalised value', () => {
    expect(checkedForm(z.object({ name: accountName }), { name: '  Acme  ' })).toEqual({
      ok: true,
      value: { name: 'Acme' },
    });
  });
});

describe('email', () => {
  it('trims and lower-cases the domain only', () => {
    expect(accepted(emailAddress, '  Alice.Smith@Example.COM ')).toBe('Alice.Smith@example.com');
    expect(accepted(emailAddress, 'a+tag@sub.example.co.uk')).toBe('a+tag@sub.example.co.uk');
    expect(accepted(emailAddress, 'x@xn--fiqs8s.xn--fiqz9s')).toBe('x@xn--fiqs8s.xn--fiqz9s');
  });

  it('refuses what is not an address', () => {
    for (const bad of [
      '',
      'plain',
      '@example.com',
      'a@',
      'a@b',
      'a b@example.com',
      'a..b@example.com',
      'a@-x.com',
    ]) {
      expect(refusal(emailAddress, bad)).toBe(m.email.invalid);
    }
    expect(refusal(emailAddress, null)).toBe(m.email.invalid);
  });

  it('enforces length limits', () => {
    const domain = `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.com`;
    expect(accepted(emailAddress, `${'l'.repeat(64)}@${domain}`)).toHaveLength(64 + 1 + domain.length);
    expect(refusal(emailAddress, `${'l'.repeat(65)}@example.com`)).toBe(m.email.invalid);
    expect(refusal(emailAddress, `${'l'.repeat(64)}@${domain}.${'g'.repeat(62)}`)).toBe(m.email.tooLong);
  });
});

describe('phone numbers', () => {
  it('normalise to E.164', () => {
    expect(accepted(phoneNumber, '+86 138 0013 8000')).toBe('+8613800138000');
    expect(accepted(phoneNumber, '+1 (415) 555-2671')).toBe('+14155552671');
    expect(accepted(phoneNumber, '+44 20 7946 0958')).toBe('+442079460958');
    expect(accepted(phoneNumber, '0049 30 901820')).toBe('+4930901820');
    expect(accepted(mobileNumber, '+81 90-1234-5678')).toBe('+819012345678');
  });

  it('want the country code and say so', () => {
    expect(refusal(phoneNumber, '138 0013 8000')).toBe(m.phone.invalid);
    expect(m.phone.invalid).toMatch(/country code/);
  });

  it('refuse invalid numbers and numbers that are neither mobile nor fixed line', () => {
    expect(refusal(phoneNumber, '+86 12345')).toBe(m.phone.invalid);
    expect(refusal(phoneNumber, 'call me')).toBe(m.phone.invalid);
    expect(refusal(phoneNumber, '+1 800 555 0199')).toBe(m.phone.invalid);
    expect(refusal(phoneNumber, '+86 400 123 4567')).toBe(m.phone.invalid);
  });

  it('accept only numbers that can take an SMS where a mobile is needed', () => {
    expect(refusal(mobileNumber, '+44 20 7946 0958')).toBe(m.phone.notMobile);
    expect(accepted(mobileNumber, '+1 415 555 2671')).toBe('+14155552671');
  });
});

describe('account name and industry', () => {
  it('takes 1 to 64 characters, trimmed, without control characters', () => {
    expect(accepted(accountName, '  Acme Research  ')).toBe('Acme Research');
    expect(accepted(accountName, '研'.repeat(64))).toBe('研'.repeat(64));
    expect(refusal(accountName, '   ')).toBe(m.accountName.empty);
    expect(refusal(accountName, null)).toBe(m.accountName.empty);
    expect(refusal(accountName, 'x'.repeat(65))).toBe(m.accountName.tooLong);
    expect(refusal(accountName, 'Acme\nResearch')).toBe(m.controlCharacters);
  });

  it('offers a fixed list of industries with labels', () => {
    expect(INDUSTRY_OPTIONS.length).toBeGreaterThanOrEqual(10);
    expect(INDUSTRY_OPTIONS).toContainEqual({ value: 'software', label: 'Software and IT services' });
    for (const { value } of INDUSTRY_OPTIONS) expect(accepted(industry, value)).toBe(value);
    expect(refusal(industry, 'astrology')).toBe(m.industry.invalid);
  });
});

describe('contact address', () => {
  const complete = {
    fullName: 'Li Wei',
    companyName: 'Example Ltd',
    region: 'cn',
    state: 'Zhejiang',
    city: 'Hangzhou',
    address: '969 Wenyi West Road',
    postalCode: ' 311121 ',
  };

  it('accepts a complete address and normalises region and postal code', () => {
    expect(checkedForm(contactAddress, complete)).toEqual({
      ok: true,
      value: { ...complete, region: 'CN', postalCode: '311121' },
    });
  });

  it('requires all seven fields and reports each one', () => {
    const result = checkedForm(contactAddress, {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      ['address', 'city', 'companyName', 'fullName', 'postalCode', 'region', 'state'].sort(),
    );
    expect(result.errors.city).toBe(m.address.city);
  });

  it('checks the postal code for the region even while other fields are missing', () => {
    const result = checkedForm(contactAddress, { ...complete, city: '', postalCode: '3111' });
    expect(result).toEqual({
      ok: false,
      errors: { city: m.address.city, postalCode: m.postalCode.forRegion('China', '100000') },
    });
  });

  it('refuses a region that is not an ISO 3166-1 alpha-2 code', () => {
    expect(REGION_CODES.size).toBe(249);
    for (const bad of ['UK', 'EU', 'ZZ', 'CHN', '']) {
      expect(checkedForm(contactAddress, { ...complete, region: bad })).toEqual({
        ok: false,
        errors: { region: m.region.invalid },
      });
    }
  });

  it('validates postal codes per region and writes them the usual way', () => {
    const cases: [string, string, string][] = [
      ['CN', '100000', '100000'],
      ['US', '94105', '94105'],
      ['US', '94105 1234', '94105-1234'],
      ['GB', 'sw1a1aa', 'SW1A 1AA'],
      ['GB', 'M1 1AE', 'M1 1AE'],
      ['DE', '10115', '10115'],
      ['FR', '75008', '75008'],
      ['JP', '1000001', '100-0001'],
      ['SG', '018956', '018956'],
      ['IN', '110 001', '110001'],
      ['CA', 'k1a0b1', 'K1A 0B1'],
      ['AU', '2000', '2000'],
      ['NL', '1012ab', '1012 AB'],
      ['BR', '01310100', '01310-100'],
    ];
    for (const [region, typed, stored] of cases) expect(normalizePostalCode(region, typed)).toBe(stored);
    const refused: [string, string][] = [
      ['CN', '10000'],
      ['US', '9410'],
      ['GB', '12345'],
      ['DE', '1011'],
      ['FR', '750080'],
      ['JP', '100-001'],
      ['SG', '01895'],
      ['IN', '011001'],
      ['CA', 'D1A 0B1'],
      ['AU', '20000'],
    ];
    for (const [region, typed] of refused) expect(normalizePostalCode(region, typed)).toBeNull();
    for (const region of ['CN', 'US', 'GB', 'DE', 'FR', 'JP', 'SG', 'IN', 'CA', 'AU']) {
      expect(POSTAL_CODE_FORMATS[region]).toBeDefined();
    }
  });

  it('takes any short code elsewhere', () => {
    expect(normalizePostalCode('CH', ' 8001 ')).toBe('8001');
    expect(normalizePostalCode('IE', 'D02 X285')).toBe('D02 X285');
    expect(normalizePostalCode('CH', 'x'.repeat(17))).toBeNull();
    const result = checkedForm(contactAddress, { ...complete, region: 'CH', postalCode: 'x'.repeat(17) });
    expect(result).toEqual({ ok: false, errors: { postalCode: m.address.postalCode } });
  });

  it('names the region and shows an example in the postal code message', () => {
    const result = checkedForm(contactAddress, { ...complete, region: 'GB', postalCode: '12345' });
    expect(result).toEqual({
      ok: false,
      errors: {
        postalCode: 'This is not a valid postal code for United Kingdom. It should look like SW1A 1AA.',
      },
    });
  });
});

describe('identity submissions', () => {
  const individual = {
    kind: 'individual',
    documentType: 'passport',
    fullLegalName: 'Li Wei',
    documentNumber: 'e 1234-5678',
    issuingRegion: 'CN',
  };
  const organization = {
    kind: 'organization',
    companyName: 'Example (Hangzhou) Co., Ltd.',
    businessLicenceNumber: '91330100 799655058B',
    registeredRegion: 'CN',
  };

  it('normalise document numbers: upper case, no spaces or dashes, full-width folded', () => {
    expect(normalizeDocumentNumber(' e 1234-5678 ')).toBe('E12345678');
    expect(normalizeDocumentNumber('ｅ１２３４５６７８')).toBe('E12345678');
  });

  it('accept an individual submission without an image', () => {
    expect(checkedForm(identitySubmission, individual)).toEqual({
      ok: true,
      value: { ...individual, documentNumber: 'E12345678', documentImage: undefined },
    });
    expect(checkedForm(identitySubmission, { ...individual, documentImage: null }).ok).toBe(true);
    expect(checkedForm(identitySubmission, { ...individual, documentImage: 'F0123ABC' })).toMatchObject({
      ok: true,
      value: { documentImage: 'F0123ABC' },
    });
  });

  it('check the document number against its type', () => {
    const cases: [string, string, boolean][] = [
      ['passport', 'E12345678', true],
      ['passport', 'K1234567', true],
      ['passport', '1234567890', false],
      ['passport', 'ABCDEFGH', false],
      ['drivers-license', 'D1234567', true],
      ['drivers-license', '110101199003074518', true],
      ['drivers-license', '1234', false],
      ['work-permit', 'WP-2024-000123', true],
      ['work-permit', 'WP#123456', false],
    ];
    for (const [documentType, documentNumber, ok] of cases) {
      const result = checkedForm(identitySubmission, { ...individual, documentType, documentNumber });
      expect(result.ok ? true : result.errors, `${documentType} ${documentNumber}`).toEqual(
        ok ? true : { documentNumber: m.document[documentType as 'passport'] },
      );
    }
  });

  it('report every problem of an individual submission', () => {
    const result = checkedForm(identitySubmission, {
      kind: 'individual',
      documentType: 'library-card',
      fullLegalName: '',
      documentNumber: '',
      issuingRegion: 'XX',
      documentImage: '../etc/passwd',
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        documentType: m.document.type,
        fullLegalName: m.identity.fullLegalName,
        documentNumber: m.required,
        issuingRegion: m.region.invalid,
        documentImage: m.identity.image,
      },
    });
  });

  it('accept an organization and check a Mainland China licence number’s shape', () => {
    expect(checkedForm(identitySubmission, organization)).toMatchObject({
      ok: true,
      value: { businessLicenceNumber: '91330100799655058B', registeredRegion: 'CN' },
    });
    const withLetterO = { ...organization, businessLicenceNumber: '91330100799655058O' };
    expect(checkedForm(identitySubmission, withLetterO)).toEqual({
      ok: false,
      errors: { businessLicenceNumber: m.document.businessLicenceCn },
    });
    const elsewhere = { ...organization, businessLicenceNumber: 'HRB 12345', registeredRegion: 'de' };
    expect(checkedForm(identitySubmission, elsewhere)).toMatchObject({
      ok: true,
      value: { businessLicenceNumber: 'HRB12345', registeredRegion: 'DE' },
    });
    expect(checkedForm(identitySubmission, { ...elsewhere, businessLicenceNumber: 'ABC' })).toEqual({
      ok: false,
      errors: { businessLicenceNumber: m.document['business-licence'] },
    });
  });

  it('ask which kind of submission it is', () => {
    expect(checkedForm(identitySubmission, { ...individual, kind: 'robot' })).toEqual({
      ok: false,
      errors: { kind: m.identity.kind },
    });
  });
});

describe('hostile input in text fields', () => {
  const INVISIBLE = {
    'zero-width joiner': '\u200d',
    'word joiner': '\u2060',
    'zero-width space': '\u200b',
    'right-to-left override': '\u202e',
    'byte order mark': '\ufeff',
    'soft hyphen': '\u00ad',
    'lone high surrogate': '\ud800',
    'lone low surrogate': '\udc00',
    NUL: '\u0000',
  };

  it('refuses invisible characters and lone surrogates in names and addresses, as the message says', () => {
    for (const [what, hidden] of Object.entries(INVISIBLE)) {
      expect(refusal(accountName, `Ac${hidden}me`), what).toBe(m.controlCharacters);
      const address = checkedForm(contactAddress, {
        fullName: `Dana${hidden} Li`,
        companyName: 'Example Ltd',
        region: 'CN',
        state: 'Zhejiang',
        city: 'Hangzhou',
        address: `969 Wenyi${hidden} West Road`,
        postalCode: '311121',
      });
      expect(address.ok ? {} : address.errors, what).toEqual({
        fullName: m.controlCharacters,
        address: m.controlCharacters,
      });
    }
  });

  it('keeps an emoji built with a zero-width joiner and stores names NFC-normalised', () => {
    expect(accepted(accountName, 'Team 👩‍💻')).toBe('Team 👩‍💻');
    expect(accepted(accountName, 'Cafe\u0301')).toBe('Caf\u00e9');
    expect(accepted(accountName, 'Cafe\u0301')).toHaveLength(4);
  });

  it('refuses a phone number with anything after it, and says so when it is an extension', () => {
    expect(refusal(phoneNumber, '+1 415 555 2671 <!channel>')).toBe(m.phone.invalid);
    expect(refusal(phoneNumber, '+1 415 555 2671 call me')).toBe(m.phone.invalid);
    expect(refusal(phoneNumber, '+1 415 555 2671\u0000')).toBe(m.controlCharacters);
    expect(refusal(mobileNumber, '+1 415 555 2671\u200b')).toBe(m.controlCharacters);
    for (const extension of ['+1 415 555 2671 ext. 123', '+1 415 555 2671 x123', '+1 415 555 2671;ext=12']) {
      expect(refusal(phoneNumber, extension), extension).toBe(m.phone.extension);
      expect(refusal(mobileNumber, extension), extension).toBe(m.phone.extension);
    }
    expect(accepted(mobileNumber, '+1 (415) 555-2671')).toBe('+14155552671');
  });

  it('holds a reject reason to the modal’s 500 characters, line breaks allowed', () => {
    expect(TEXT_LIMITS.rejectReason).toBe(500);
    expect(accepted(rejectReason, `${'a'.repeat(498)}\nb`)).toHaveLength(500);
    expect(refusal(rejectReason, 'a'.repeat(501))).toBe(m.tooLong(500));
    expect(refusal(rejectReason, 'x'.repeat(10_000))).toBe(m.tooLong(500));
    expect(refusal(rejectReason, 'Blurred\u200b photo')).toBe(m.invisibleCharacters);
    expect(refusal(rejectReason, '   ')).toBe(messages.review.modal.reasonRequired);
    expect(refusal(rejectReason, null)).toBe(messages.review.modal.reasonRequired);
  });
});
