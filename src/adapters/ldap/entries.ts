import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Entry } from 'ldapts';
import { CONTACT_ADDRESS_PARTS, type Account, type ContactAddress } from '../../domain/account.js';
import {
  MAPPABLE_FIELDS,
  type AttributeMap,
  type LdapMode,
  type MappableField,
} from '../../config/ldap-attributes.js';
import { adTimestamp, generalizedTime } from './times.js';

/** What the product reads from one directory entry, already in the product's formats. */
export interface DirectoryEntry {
  dn: string;
  /** The stable id (entryUUID, or objectGUID as 32 hex digits): the product store's key. */
  id: string;
  values: Partial<Record<MappableField, string>>;
  /** When the password was last changed, anywhere (pwdChangedTime / pwdLastSet). */
  passwordChangedAt: number | null;
  /** When the directory locked the account after failed sign-ins (pwdAccountLockedTime / lockoutTime). */
  lockedAt: number | null;
  /** The person's own password policy (OpenLDAP `pwdPolicySubentry`); null: the default one. */
  policyDn: string | null;
  /** A name to start the product record with (displayName, cn or the mail's local part). */
  name: string;
}

type ScalarField = Exclude<MappableField, `contactAddress.${string}`>;

const SCALAR_FIELDS = MAPPABLE_FIELDS.filter(
  (field): field is ScalarField => !field.startsWith('contactAddress.'),
);

const PHONE_FIELDS: ReadonlySet<MappableField> = new Set(['contactNumber', 'securityMobile']);

/** The attributes one search asks for: the mapped ones, the stable id and the password state. */
export function requestedAttributes(mode: LdapMode, map: AttributeMap): string[] {
  const mapped = Object.values(map).filter((attribute): attribute is string => attribute !== null);
  const state =
    mode === 'ad'
      ? ['objectGUID', 'pwdLastSet', 'lockoutTime', 'cn']
      : ['entryUUID', 'pwdChangedTime', 'pwdAccountLockedTime', 'pwdPolicySubentry', 'cn'];
  return [...new Set([...mapped, ...state])];
}

export function readEntry(mode: LdapMode, map: AttributeMap, entry: Entry): DirectoryEntry | null {
  const id = mode === 'ad' ? hexOf(entry.objectGUID) : first(entry.entryUUID);
  if (id === null) return null;
  const values: Partial<Record<MappableField, string>> = {};
  for (const field of MAPPABLE_FIELDS) {
    const attribute = map[field];
    if (attribute === null) continue;
    const raw = first(entry[attribute]);
    const value = raw === null ? null : normalise(field, raw);
    if (value !== null) values[field] = value;
  }
  const name = first(entry[map.accountName ?? 'displayName']) ?? first(entry.cn) ?? values.loginEmail ?? id;
  return {
    dn: entry.dn,
    id,
    values,
    name: name.trim().slice(0, 64) || id,
    passwordChangedAt:
      mode === 'ad' ? adTimestamp(first(entry.pwdLastSet)) : generalizedTime(first(entry.pwdChangedTime)),
    lockedAt:
      mode === 'ad'
        ? adTimestamp(first(entry.lockoutTime))
        : generalizedTime(first(entry.pwdAccountLockedTime)),
    policyDn: mode === 'ad' ? null : first(entry.pwdPolicySubentry),
  };
}

/**
 * The account as the product shows it: mapped fields from the directory, the rest from the
 * product record. An address is whole or absent (SPEC §3.2), so a part missing on both sides
 * leaves no address.
 */
export function overlay(record: Account, entry: DirectoryEntry, map: AttributeMap): Account {
  const account: Account = { ...record, passwordHash: null, passwordHistory: [] };
  for (const field of SCALAR_FIELDS) {
    if (map[field] === null) continue;
    const value = entry.values[field] ?? null;
    if (field === 'contactEmail' && value !== record.contactEmail) account.contactEmailVerified = false;
    setScalar(account, field, value);
  }
  if (map.loginEmail === null) account.loginEmail = null;
  account.contactAddress = overlayAddress(record.contactAddress, entry, map);
  account.passwordChangedAt = entry.passwordChangedAt;
  account.directoryLockedAt = entry.lockedAt;
  account.credentialVersion = credentialVersion(record.credentialVersion, entry.passwordChangedAt);
  return account;
}

/**
 * A password changed in the directory by anything else (another tool, a desk, AD's own
 * screen) must revoke links and codes just as a change made here does. The version every
 * link carries therefore counts the directory's password change time too (in seconds): both
 * parts only grow, so any change on either side gives a version no earlier link carries.
 */
function credentialVersion(productVersion: number, passwordChangedAt: number | null): number {
  return productVersion + (passwordChangedAt === null ? 0 : Math.floor(passwordChangedAt / 1000));
}

function overlayAddress(
  stored: ContactAddress | null,
  entry: DirectoryEntry,
  map: AttributeMap,
): ContactAddress | null {
  const address: Partial<ContactAddress> = {};
  for (const part of CONTACT_ADDRESS_PARTS) {
    const field = `contactAddress.${part}` as const;
    const value = map[field] === null ? stored?.[part] : entry.values[field];
    if (value === undefined) return null;
    address[part] = value;
  }
  return address as ContactAddress;
}

/** The directory values an account should have: what a write must make the entry say. */
export function directoryValues(account: Account, map: AttributeMap): Map<string, string | null> {
  const values = new Map<string, string | null>();
  for (const field of MAPPABLE_FIELDS) {
    const attribute = map[field];
    if (attribute === null) continue;
    values.set(attribute, fieldValue(account, field));
  }
  return values;
}

function fieldValue(account: Account, field: MappableField): string | null {
  if (field.startsWith('contactAddress.')) {
    const part = field.slice('contactAddress.'.length) as keyof ContactAddress;
    return account.contactAddress?.[part] ?? null;
  }
  return account[field as ScalarField];
}

function setScalar(account: Account, field: ScalarField, value: string | null): void {
  if (field === 'accountName') {
    if (value !== null) account.accountName = value;
    return;
  }
  account[field] = value;
}

function normalise(field: MappableField, raw: string): string | null {
  const text = raw.trim();
  if (text === '') return null;
  if (!PHONE_FIELDS.has(field)) return text;
  // Directories hold numbers as people typed them ("+1 (415) 555-0100"); the product keeps E.164.
  const parsed = parsePhoneNumberFromString(text);
  return parsed?.isValid() ? parsed.number : null;
}

function first(value: Entry[string] | undefined): string | null {
  if (value === undefined) return null;
  const one = Array.isArray(value) ? value[0] : value;
  if (one === undefined) return null;
  return typeof one === 'string' ? one : one.toString('utf8');
}

function hexOf(value: Entry[string] | undefined): string | null {
  const one = Array.isArray(value) ? value[0] : value;
  if (one === undefined) return null;
  return Buffer.isBuffer(one) ? one.toString('hex') : null;
}
