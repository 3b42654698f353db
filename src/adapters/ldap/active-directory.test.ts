import { ModifyRequest } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { adPasswordChange, adPasswordRefusal, unicodePwd } from './active-directory.js';
import { passwordModifyRequest } from './passwords.js';
import { adInterval, adTimestamp, generalizedTime, toAdTimestamp, toGeneralizedTime } from './times.js';

describe('Active Directory password encoding', () => {
  it('quotes the password and encodes it UTF-16LE, byte for byte', () => {
    expect(unicodePwd('new').toString('hex')).toBe('22006e006500770022 00'.replace(/ /g, ''));
    // ä is U+00E4, € is U+20AC (little-endian: ac 20), 😀 is the surrogate pair d83d de00.
    expect(unicodePwd('Pä€😀').toString('hex')).toBe('22005000e400ac203dd800de2200');
  });
});

describe("Active Directory user change (the person's own password)", () => {
  it('is one modify: delete the old unicodePwd, add the new, byte for byte', () => {
    const hex = (text: string): string => Buffer.from(text, 'latin1').toString('hex');
    const quoted = (password: string): string => Buffer.from(`"${password}"`, 'utf16le').toString('hex');
    // PartialAttribute { type "unicodePwd", vals SET { OCTET STRING } }: 12 + 14 = 26 bytes.
    const attribute = (password: string): string => `301a040a${hex('unicodePwd')}310c040a${quoted(password)}`;
    const expected =
      '3054' + // LDAPMessage, 84 bytes
      '020101' + // messageID 1
      '664f' + // [APPLICATION 6] ModifyRequest, 79 bytes
      `0409${hex('CN=a,DC=x')}` +
      '3042' + // changes, 66 bytes
      `301f0a0101${attribute('old')}` + // delete (1) the old value
      `301f0a0100${attribute('new')}`; // add (0) the new value
    const request = new ModifyRequest({
      messageId: 1,
      dn: 'CN=a,DC=x',
      changes: adPasswordChange('old', 'new'),
    });
    expect(request.write().toString('hex')).toBe(expected);
  });
});

describe('Active Directory refusals', () => {
  it.each([
    ['0000052D: SvcErr: DSID-031A12D2, problem 5003 (WILL_NOT_PERFORM), data 0\n', 'quality'],
    [
      '0000052D: Constraint violation - check_password_restrictions: the password is too short. It should be equal or longer than 7 characters!',
      'quality',
    ],
    ['80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 775, v3839', 'locked'],
    ['80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 52e, v3839', 'wrong'],
    [
      '80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 533, v3839',
      'not-allowed',
    ],
    ['00000005: SecErr: DSID-03152E29, problem 4003 (INSUFF_ACCESS_RIGHTS), data 0\n', 'not-allowed'],
    ['00002077: SvcErr: DSID-03190E44, problem 5003 (WILL_NOT_PERFORM), data 0\n', 'not-allowed'],
    [
      // A user change whose old value did not match (ERROR_INVALID_PASSWORD).
      '00000056: AtrErr: DSID-03190F80, #1:\n\t0: 00000056: DSID-03190F80, problem 1005 (CONSTRAINT_ATT_TYPE), data 0, Att 9005a (unicodePwd)\n',
      'wrong',
    ],
    ['00000057: LdapErr: DSID-0C090B38, comment: Error in attribute conversion operation, data 0', null],
  ])('maps %j to %s', (diagnostic, expected) => {
    expect(adPasswordRefusal(diagnostic)).toBe(expected);
  });
});

describe('RFC 3062 Password Modify request', () => {
  it('encodes userIdentity [0] and newPasswd [2] in one SEQUENCE, byte for byte', () => {
    const request = passwordModifyRequest('uid=a,dc=x', 'pw');
    expect(request.toString('hex')).toBe(
      `3010800a${Buffer.from('uid=a,dc=x').toString('hex')}8202${Buffer.from('pw').toString('hex')}`,
    );
  });

  it("adds oldPasswd [1] between them for the person's own change", () => {
    const request = passwordModifyRequest('uid=a', 'new', 'old');
    expect(request.toString('hex')).toBe(
      `30118005${Buffer.from('uid=a').toString('hex')}8103${Buffer.from('old').toString('hex')}8203${Buffer.from('new').toString('hex')}`,
    );
  });

  it('encodes a non-ASCII password as UTF-8', () => {
    const request = passwordModifyRequest('uid=a', 'é');
    expect(request.toString('hex')).toBe(`300b8005${Buffer.from('uid=a').toString('hex')}8202c3a9`);
  });
});

describe('directory times', () => {
  it('reads OpenLDAP GeneralizedTime, with or without a fraction', () => {
    expect(generalizedTime('20261127151748Z')).toBe(Date.UTC(2026, 10, 27, 15, 17, 48));
    expect(generalizedTime('20261127151748.250Z')).toBe(Date.UTC(2026, 10, 27, 15, 17, 48, 250));
    expect(generalizedTime('yesterday')).toBeNull();
  });

  it('reads AD FILETIME, where 0 means never', () => {
    // 2026-11-27T15:17:48Z as 100-ns ticks since 1601-01-01.
    const ms = Date.UTC(2026, 10, 27, 15, 17, 48);
    const ticks = (BigInt(ms) * 10_000n + 116_444_736_000_000_000n).toString();
    expect(adTimestamp(ticks)).toBe(ms);
    expect(adTimestamp('0')).toBeNull();
    expect(adTimestamp('9223372036854775807x')).toBeNull();
  });

  it('writes both back for search filters, to the second and to the tick', () => {
    expect(toGeneralizedTime(Date.UTC(2026, 10, 27, 15, 17, 48, 999))).toBe('20261127151748Z');
    expect(toAdTimestamp(Date.UTC(2026, 10, 27, 15, 17, 48))).toBe('134402662680000000');
    expect(adTimestamp(toAdTimestamp(Date.UTC(2026, 10, 27, 15, 17, 48)))).toBe(
      Date.UTC(2026, 10, 27, 15, 17, 48),
    );
  });

  it("reads AD's maxPwdAge, a negative interval where 0 and the smallest Int64 mean no maximum", () => {
    expect(adInterval('-36288000000000')).toBe(42 * 86_400_000);
    expect(adInterval('0')).toBeNull();
    expect(adInterval('-9223372036854775808')).toBeNull();
    expect(adInterval('36288000000000')).toBeNull();
  });
});
