/**
 * Which account field lives in which directory attribute. A field mapped to null stays in
 * the product store (as every field does without a directory); the README lists the defaults.
 */
export type LdapMode = 'openldap' | 'ad';

export const MAPPABLE_FIELDS = [
  'loginEmail',
  'accountName',
  'industry',
  'contactNumber',
  'contactEmail',
  'securityMobile',
  'verificationEmail',
  'contactAddress.fullName',
  'contactAddress.companyName',
  'contactAddress.region',
  'contactAddress.state',
  'contactAddress.city',
  'contactAddress.address',
  'contactAddress.postalCode',
] as const;

export type MappableField = (typeof MAPPABLE_FIELDS)[number];

export type AttributeMap = Record<MappableField, string | null>;

const INET_ORG_PERSON: AttributeMap = {
  loginEmail: 'mail',
  accountName: 'displayName',
  industry: 'businessCategory',
  contactNumber: 'telephoneNumber',
  contactEmail: null,
  securityMobile: 'mobile',
  verificationEmail: null,
  'contactAddress.fullName': null,
  'contactAddress.companyName': 'o',
  'contactAddress.region': null,
  'contactAddress.state': 'st',
  'contactAddress.city': 'l',
  'contactAddress.address': 'street',
  'contactAddress.postalCode': 'postalCode',
};

const ACTIVE_DIRECTORY: AttributeMap = {
  loginEmail: 'userPrincipalName',
  accountName: 'displayName',
  industry: null,
  contactNumber: 'telephoneNumber',
  contactEmail: 'mail',
  securityMobile: 'mobile',
  verificationEmail: null,
  'contactAddress.fullName': null,
  'contactAddress.companyName': 'company',
  'contactAddress.region': 'c',
  'contactAddress.state': 'st',
  'contactAddress.city': 'l',
  'contactAddress.address': 'streetAddress',
  'contactAddress.postalCode': 'postalCode',
};

export function defaultAttributeMap(mode: LdapMode): AttributeMap {
  return mode === 'ad' ? ACTIVE_DIRECTORY : INET_ORG_PERSON;
}
