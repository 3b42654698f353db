import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const ldap = {
  DIRECTORY: 'ldap',
  LDAP_URL: 'ldaps://dc1.example.com, ldaps://dc2.example.com',
  LDAP_BIND_DN: 'cn=account-assistant,ou=services,dc=example,dc=com',
  LDAP_BIND_PASSWORD: 'service-secret',
  LDAP_BASE_DN: 'ou=people,dc=example,dc=com',
};

describe('directory configuration', () => {
  it('uses the embedded directory unless DIRECTORY=ldap', () => {
    const result = loadConfig({});
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.directory).toEqual({ kind: 'embedded' });
  });

  it('reads an OpenLDAP directory with failover URLs and the inetOrgPerson defaults', () => {
    const result = loadConfig(ldap);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.directory).toMatchObject({
      kind: 'ldap',
      mode: 'openldap',
      urls: ['ldaps://dc1.example.com', 'ldaps://dc2.example.com'],
      startTls: true,
      userFilter: '(objectClass=inetOrgPerson)',
      timeoutMs: 2_000,
      poolSize: 4,
      attributes: { loginEmail: 'mail', securityMobile: 'mobile', contactNumber: 'telephoneNumber' },
    });
  });

  it('takes Active Directory defaults and attribute overrides, and an empty one keeps a field in the product', () => {
    const result = loadConfig({
      ...ldap,
      LDAP_MODE: 'ad',
      LDAP_ATTRIBUTES: 'securityMobile=otherMobile, contactNumber=',
    });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.directory).toMatchObject({
      mode: 'ad',
      userFilter: '(&(objectCategory=person)(objectClass=user))',
      attributes: { loginEmail: 'userPrincipalName', securityMobile: 'otherMobile', contactNumber: null },
    });
  });

  it('names each missing connection variable and a bad attribute map, one line each', () => {
    const result = loadConfig({ DIRECTORY: 'ldap', LDAP_ATTRIBUTES: 'favouriteColour=color,loginEmail=' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        'LDAP_URL: not set; expected ldap:// or ldaps:// URLs (required with DIRECTORY=ldap)',
        'LDAP_BIND_DN: not set; expected the DN of the service account (required with DIRECTORY=ldap)',
        "LDAP_BIND_PASSWORD: not set; expected the service account's password (required with DIRECTORY=ldap)",
        'LDAP_BASE_DN: not set; expected the DN under which people are searched (required with DIRECTORY=ldap)',
        expect.stringMatching(/^LDAP_ATTRIBUTES: invalid; expected fields among .* got favouriteColour$/),
        'LDAP_ATTRIBUTES: invalid; expected loginEmail mapped to an attribute (people are found by it)',
      ]),
    );
  });

  it('refuses a URL that is not ldap:// or ldaps://, and plain ldap:// without StartTLS in production', () => {
    const bad = loadConfig({ ...ldap, LDAP_URL: 'http://dc1.example.com' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]).toMatch(/^LDAP_URL: invalid; expected ldap:\/\/ or ldaps:\/\//);
    const plain = loadConfig({
      ...ldap,
      NODE_ENV: 'production',
      LDAP_URL: 'ldap://dc1.example.com',
      LDAP_STARTTLS: 'false',
    });
    expect(plain.ok).toBe(false);
    if (!plain.ok)
      expect(plain.problems.some((line) => line.startsWith('LDAP_STARTTLS: invalid'))).toBe(true);
  });

  it('checks the search base and policy entry are DNs, and lets the bind name be an AD user name too', () => {
    const problems = (environment: Record<string, string>) => {
      const result = loadConfig({ ...ldap, ...environment });
      return result.ok ? [] : result.problems.map((line) => line.split(':')[0]);
    };
    expect(problems({ LDAP_BASE_DN: 'people', LDAP_PASSWORD_POLICY_DN: 'cn=default,' })).toEqual([
      'LDAP_BASE_DN',
      'LDAP_PASSWORD_POLICY_DN',
    ]);
    expect(
      problems({
        LDAP_BASE_DN: 'OU=Staff\\, Berlin,DC=corp,DC=example,DC=com',
        LDAP_PASSWORD_POLICY_DN: 'cn=default,ou=policies,dc=example,dc=com',
      }),
    ).toEqual([]);
    expect(problems({ LDAP_MODE: 'ad', LDAP_BIND_DN: 'svc-assistant@corp.example.com' })).toEqual([]);
  });

  it('never puts the bind password in a problem line', () => {
    const result = loadConfig({ ...ldap, LDAP_URL: 'nope', LDAP_TIMEOUT_MS: 'slow' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).not.toContain('service-secret');
  });
});
