import { z } from 'zod';
import {
  MAPPABLE_FIELDS,
  defaultAttributeMap,
  type AttributeMap,
  type LdapMode,
  type MappableField,
} from './ldap-attributes.js';

/** attribute=value pairs separated by commas (RFC 4514), checked only for that shape. */
function distinguishedName(expected: string) {
  const rdn = String.raw`\s*[A-Za-z0-9][\w.-]*\s*=(?:\\.|[^,\\])*`;
  return z.string().regex(new RegExp(`^${rdn}(,${rdn})*$`), expected);
}

/**
 * The directory variables, spread into the one environment schema. Kept in their own
 * module so the LDAP connector's configuration reads as one piece.
 */
export const directoryEnvironment = {
  DIRECTORY: z.enum(['embedded', 'ldap'], 'embedded or ldap').default('embedded'),
  LDAP_URL: z
    .string()
    .transform((text) =>
      text
        .split(/[\s,]+/)
        .map((url) => url.trim())
        .filter((url) => url.length > 0),
    )
    .pipe(
      z
        .array(z.string().regex(/^ldaps?:\/\/[^\s/]+\/?$/, 'ldap:// or ldaps:// URLs separated by commas'))
        .min(1, 'at least one ldap:// or ldaps:// URL'),
    )
    .optional(),
  LDAP_STARTTLS: z.enum(['true', 'false'], 'true or false').default('true'),
  // Not checked as a DN: Active Directory also binds as svc@example.com or EXAMPLE\svc.
  LDAP_BIND_DN: z
    .string()
    .min(3, 'the DN of the service account such as cn=svc,dc=example,dc=com')
    .optional(),
  LDAP_BIND_PASSWORD: z.string().min(1, "the service account's password").optional(),
  LDAP_BASE_DN: distinguishedName(
    'the DN under which people are searched, such as ou=people,dc=example,dc=com',
  ).optional(),
  LDAP_USER_FILTER: z
    .string()
    .regex(/^\(.*\)$/, 'an LDAP filter in parentheses such as (objectClass=inetOrgPerson)')
    .optional(),
  LDAP_MODE: z.enum(['openldap', 'ad'], 'openldap or ad').default('openldap'),
  LDAP_ATTRIBUTES: z
    .string()
    .regex(
      /^\s*[\w.]+=[\w-]*\s*(,\s*[\w.]+=[\w-]*\s*)*$/,
      'field=attribute pairs separated by commas, such as securityMobile=mobile,industry=',
    )
    .optional(),
  LDAP_PASSWORD_POLICY_DN: distinguishedName(
    'the DN of the default password policy entry, such as cn=default,ou=policies,dc=example,dc=com',
  ).optional(),
  LDAP_CA_FILE: z.string().min(1, 'a path to a PEM file of trusted CA certificates').optional(),
  LDAP_TIMEOUT_MS: z
    .string()
    .regex(/^\d+$/, 'a whole number of milliseconds from 100 to 30000')
    .transform(Number)
    .pipe(z.number().min(100, 'at least 100 ms').max(30_000, 'at most 30000 ms'))
    .default(2_000),
  LDAP_POOL_SIZE: z
    .string()
    .regex(/^\d+$/, 'a whole number from 1 to 50')
    .transform(Number)
    .pipe(z.number().min(1, 'at least 1').max(50, 'at most 50'))
    .default(4),
};

type DirectoryEnvironment = z.output<z.ZodObject<typeof directoryEnvironment>>;

export interface LdapConfig {
  mode: LdapMode;
  urls: string[];
  /** Upgrade ldap:// connections with StartTLS before binding (ldaps:// is TLS already). */
  startTls: boolean;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  userFilter: string;
  attributes: AttributeMap;
  caFile: string | null;
  /**
   * Where the maximum password age is read when a person has no policy of their own: the
   * default ppolicy entry (OpenLDAP), or the domain object (AD `maxPwdAge`). Null: never expires.
   */
  passwordPolicyDn: string | null;
  timeoutMs: number;
  poolSize: number;
}

export type DirectoryConfig = { kind: 'embedded' } | ({ kind: 'ldap' } & LdapConfig);

const DEFAULT_USER_FILTER: Record<LdapMode, string> = {
  openldap: '(objectClass=inetOrgPerson)',
  ad: '(&(objectCategory=person)(objectClass=user))',
};

/** With DIRECTORY=ldap the connection variables are required; each missing one is named. */
export function directoryConfig(
  e: DirectoryEnvironment,
  production: boolean,
  problems: string[],
): DirectoryConfig {
  if (e.DIRECTORY === 'embedded') return { kind: 'embedded' };
  const need = <T>(name: string, value: T | undefined, expected: string): T | null => {
    if (value !== undefined) return value;
    problems.push(`${name}: not set; expected ${expected} (required with DIRECTORY=ldap)`);
    return null;
  };
  const urls = need('LDAP_URL', e.LDAP_URL, 'ldap:// or ldaps:// URLs');
  const bindDn = need('LDAP_BIND_DN', e.LDAP_BIND_DN, 'the DN of the service account');
  const bindPassword = need('LDAP_BIND_PASSWORD', e.LDAP_BIND_PASSWORD, "the service account's password");
  const baseDn = need('LDAP_BASE_DN', e.LDAP_BASE_DN, 'the DN under which people are searched');
  const attributes = parseAttributeMap(e.LDAP_MODE, e.LDAP_ATTRIBUTES, problems);
  if (attributes.loginEmail === null) {
    problems.push(
      'LDAP_ATTRIBUTES: invalid; expected loginEmail mapped to an attribute (people are found by it)',
    );
  }
  const startTls = e.LDAP_STARTTLS === 'true';
  if (production && !startTls && urls?.some((url) => url.startsWith('ldap://'))) {
    problems.push(
      'LDAP_STARTTLS: invalid; expected true when LDAP_URL has ldap:// URLs (passwords cross the wire; required in production)',
    );
  }
  return {
    kind: 'ldap',
    mode: e.LDAP_MODE,
    urls: urls ?? [],
    startTls,
    bindDn: bindDn ?? '',
    bindPassword: bindPassword ?? '',
    baseDn: baseDn ?? '',
    userFilter: e.LDAP_USER_FILTER ?? DEFAULT_USER_FILTER[e.LDAP_MODE],
    attributes,
    caFile: e.LDAP_CA_FILE ?? null,
    passwordPolicyDn: e.LDAP_PASSWORD_POLICY_DN ?? null,
    timeoutMs: e.LDAP_TIMEOUT_MS,
    poolSize: e.LDAP_POOL_SIZE,
  };
}

/** The mode's defaults with the operator's overrides; `field=` (empty) keeps a field in the product store. */
function parseAttributeMap(mode: LdapMode, overrides: string | undefined, problems: string[]): AttributeMap {
  const map: AttributeMap = { ...defaultAttributeMap(mode) };
  if (overrides === undefined) return map;
  for (const pair of overrides.split(',')) {
    const [field = '', attribute = ''] = pair.split('=').map((part) => part.trim());
    if (!isMappable(field)) {
      problems.push(
        `LDAP_ATTRIBUTES: invalid; expected fields among ${MAPPABLE_FIELDS.join(', ')}, got ${field}`,
      );
      continue;
    }
    map[field] = attribute === '' ? null : attribute;
  }
  return map;
}

function isMappable(field: string): field is MappableField {
  return (MAPPABLE_FIELDS as readonly string[]).includes(field);
}
