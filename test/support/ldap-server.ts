import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, restartableServer } from './redis-server.js';

const run = promisify(execFile);

/** Debian installs the daemon and slapadd in /usr/sbin, which a non-root PATH may lack. */
function sbin(name: string): string {
  const path = `/usr/sbin/${name}`;
  return existsSync(path) ? path : name;
}

const LDAP_BASE_DN = 'dc=example,dc=com';
export const LDAP_PEOPLE_DN = `ou=people,${LDAP_BASE_DN}`;
const LDAP_SERVICE_DN = `cn=account-assistant,ou=services,${LDAP_BASE_DN}`;
const LDAP_ADMIN_DN = `cn=admin,${LDAP_BASE_DN}`;
export const LDAP_POLICY_DN = `cn=default,ou=policies,${LDAP_BASE_DN}`;
/** A stricter policy a test applies to one person through `pwdPolicySubentry`. */
export const LDAP_MIN_AGE_POLICY_DN = `cn=min-age,ou=policies,${LDAP_BASE_DN}`;
export const LDAP_MIN_AGE_SECONDS = 3600;

/**
 * The password policy the generated directory enforces (what a typical OpenLDAP site sets).
 * The service account has `=w` on userPassword, not `manage`, so ppolicy applies this policy
 * to its resets too; people under uid=privileged* are out of its reach (as administrators'
 * accounts often are): only they can change their own password. Under uid=fixed-* it may read
 * but not write the contact number, the display name and the lockout (refusal tests).
 */
const LDAP_POLICY = { history: 3, minLength: 8, maxFailures: 5 } as const;

/** A real slapd on a free loopback port with a generated cn=config; nothing left behind. */
/** The variables that point the app at a test server: DIRECTORY=ldap, plain LDAP on loopback. */
export function ldapEnvironment(server: LdapServerHandle): Record<string, string> {
  return {
    DIRECTORY: 'ldap',
    LDAP_URL: server.url,
    LDAP_STARTTLS: 'false',
    LDAP_BIND_DN: server.serviceDn,
    LDAP_BIND_PASSWORD: server.servicePassword,
    LDAP_BASE_DN: LDAP_PEOPLE_DN,
  };
}

export interface LdapServerHandle {
  readonly url: string;
  readonly port: number;
  /** The service account the app binds as, with the rights a deployment would grant it. */
  readonly serviceDn: string;
  readonly servicePassword: string;
  /** The rootDN, for tests that arrange or inspect what the app must not be able to. */
  readonly adminDn: string;
  readonly adminPassword: string;
  stop(): Promise<void>;
  /** Starts slapd again on the same port with the same data (for outage tests). */
  start(): Promise<void>;
  /** Freezes slapd (SIGSTOP): connections are accepted by the kernel and nothing answers, as in a hang. */
  pause(): void;
  /** Lets a paused slapd run again (SIGCONT). */
  resume(): void;
  dispose(): Promise<void>;
}

function configLdif(dir: string, adminPassword: string): string {
  const service = LDAP_SERVICE_DN;
  return `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${dir}/slapd.pid
olcLogLevel: none

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb
olcModuleLoad: ppolicy
olcModuleLoad: unique

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif

include: file:///etc/ldap/schema/cosine.ldif

include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcPasswordHash: {SSHA}

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: ${LDAP_BASE_DN}
olcRootDN: ${LDAP_ADMIN_DN}
olcRootPW: ${adminPassword}
olcDbDirectory: ${dir}/data
olcDbIndex: objectClass eq
olcDbIndex: mail eq
olcDbIndex: entryUUID eq
olcAccess: {0}to dn.regex="^uid=privileged[^,]*,${LDAP_PEOPLE_DN}$" attrs=userPassword by self =xw by anonymous auth by * none
olcAccess: {1}to attrs=userPassword by self =xw by dn.exact="${service}" =w by anonymous auth by * none
olcAccess: {2}to dn.regex="^uid=fixed-[^,]*,${LDAP_PEOPLE_DN}$" attrs=telephoneNumber,displayName,pwdAccountLockedTime by dn.exact="${service}" read by self read by * none
olcAccess: {3}to attrs=pwdAccountLockedTime,pwdFailureTime,pwdChangedTime,pwdHistory,pwdReset by dn.exact="${service}" write by self read by * none
olcAccess: {4}to dn.subtree="${LDAP_PEOPLE_DN}" by dn.exact="${service}" write by self read by * none
olcAccess: {5}to dn.subtree="ou=policies,${LDAP_BASE_DN}" by dn.exact="${service}" read by * none
olcAccess: {6}to * by * none

dn: olcOverlay={0}ppolicy,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcPPolicyConfig
olcOverlay: {0}ppolicy
olcPPolicyDefault: ${LDAP_POLICY_DN}
olcPPolicyHashCleartext: TRUE
olcPPolicyUseLockout: TRUE

dn: olcOverlay={1}unique,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcUniqueConfig
olcOverlay: {1}unique
olcUniqueURI: ldap:///${LDAP_PEOPLE_DN}?mail?sub
`;
}

function dataLdif(servicePassword: string): string {
  return `dn: ${LDAP_BASE_DN}
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ou=people,${LDAP_BASE_DN}
objectClass: organizationalUnit
ou: people

dn: ou=services,${LDAP_BASE_DN}
objectClass: organizationalUnit
ou: services

dn: ou=policies,${LDAP_BASE_DN}
objectClass: organizationalUnit
ou: policies

dn: ${LDAP_SERVICE_DN}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: account-assistant
userPassword: ${servicePassword}

dn: ${LDAP_POLICY_DN}
objectClass: device
objectClass: pwdPolicy
cn: default
pwdAttribute: userPassword
pwdInHistory: ${LDAP_POLICY.history}
pwdMinLength: ${LDAP_POLICY.minLength}
pwdCheckQuality: 1
pwdLockout: TRUE
pwdMaxFailure: ${LDAP_POLICY.maxFailures}
pwdLockoutDuration: 0
pwdFailureCountInterval: 900
pwdMaxAge: 0
pwdMinAge: 0
pwdAllowUserChange: TRUE
pwdMustChange: FALSE
pwdSafeModify: FALSE

dn: ${LDAP_MIN_AGE_POLICY_DN}
objectClass: device
objectClass: pwdPolicy
cn: min-age
pwdAttribute: userPassword
pwdInHistory: ${LDAP_POLICY.history}
pwdMinLength: ${LDAP_POLICY.minLength}
pwdCheckQuality: 1
pwdMinAge: ${LDAP_MIN_AGE_SECONDS}
pwdAllowUserChange: TRUE
pwdSafeModify: TRUE
`;
}

export async function startLdapServer(): Promise<LdapServerHandle> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'aa-slapd-'));
  const configDir = join(dir, 'slapd.d');
  mkdirSync(configDir);
  mkdirSync(join(dir, 'data'));
  const adminPassword = randomBytes(12).toString('hex');
  const servicePassword = randomBytes(12).toString('hex');
  writeFileSync(join(dir, 'config.ldif'), configLdif(dir, adminPassword));
  writeFileSync(join(dir, 'data.ldif'), dataLdif(servicePassword));
  try {
    await run(sbin('slapadd'), ['-n0', '-F', configDir, '-l', join(dir, 'config.ldif')]);
    await run(sbin('slapadd'), ['-n1', '-F', configDir, '-l', join(dir, 'data.ldif')]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot set up slapd (are slapd and ldap-utils installed?): ${String(error)}`, {
      cause: error,
    });
  }

  const url = `ldap://127.0.0.1:${port}`;
  const { start, stop, signal } = restartableServer(
    'slapd',
    sbin('slapd'),
    ['-d', '0', '-h', `${url}/`, '-F', configDir],
    port,
  );

  await start();
  return {
    url,
    port,
    serviceDn: LDAP_SERVICE_DN,
    servicePassword,
    adminDn: LDAP_ADMIN_DN,
    adminPassword,
    start,
    stop,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
