import { Client, InvalidCredentialsError } from 'ldapts';
import { afterAll } from 'vitest';
import { LdapConnections } from '../../src/adapters/ldap/connections.js';
import type { LdapConfig } from '../../src/config/directory.js';
import { defaultAttributeMap } from '../../src/config/ldap-attributes.js';
import type { Logger } from '../../src/core/logger.js';
import { LDAP_PEOPLE_DN, ldapEnvironment, startLdapServer, type LdapServerHandle } from './ldap-server.js';
import { useSlackHarness, type SlackHarness } from './slack/harness.js';
import { SmsCapture } from './sms-capture.js';
import { SmtpCapture } from './smtp-capture.js';
import type { SlackPerson } from './slack/workspace.js';

/** The app's LDAP configuration for a test server, as DIRECTORY=ldap with the defaults would give. */
export function ldapConfigFor(server: LdapServerHandle, overrides: Partial<LdapConfig> = {}): LdapConfig {
  return {
    mode: 'openldap',
    urls: [server.url],
    startTls: false,
    bindDn: server.serviceDn,
    bindPassword: server.servicePassword,
    baseDn: LDAP_PEOPLE_DN,
    userFilter: '(objectClass=inetOrgPerson)',
    attributes: defaultAttributeMap('openldap'),
    caFile: null,
    passwordPolicyDn: null,
    timeoutMs: 2_000,
    poolSize: 2,
    ...overrides,
  };
}

export function connectionsFor(server: LdapServerHandle): LdapConnections {
  return new LdapConnections(ldapConfigFor(server));
}

/** Runs `work` bound as the rootDN: arranging and inspecting what the app itself may not do. */
export async function asAdmin<T>(server: LdapServerHandle, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: server.url, timeout: 5_000 });
  try {
    await client.bind(server.adminDn, server.adminPassword);
    return await work(client);
  } finally {
    await client.unbind();
  }
}

/** True when the password binds as the entry (false when the directory refuses it). */
export async function binds(server: LdapServerHandle, dn: string, password: string): Promise<boolean> {
  const client = new Client({ url: server.url, timeout: 2_000 });
  try {
    await client.bind(dn, password);
    return true;
  } catch (error) {
    if (error instanceof InvalidCredentialsError) return false;
    throw error;
  } finally {
    await client.unbind();
  }
}

/** Deletes every person, so each contract test starts from an empty directory. */
export async function removeAllPeople(server: LdapServerHandle): Promise<void> {
  await asAdmin(server, async (client) => {
    const { searchEntries } = await client.search(LDAP_PEOPLE_DN, { scope: 'one', attributes: ['1.1'] });
    for (const entry of searchEntries) await client.del(entry.dn);
  });
}

/** One attribute of an entry as the rootDN reads it (userPassword included). */
export async function attributeOf(
  server: LdapServerHandle,
  dn: string,
  attribute: string,
): Promise<string[]> {
  return asAdmin(server, async (client) => {
    const { searchEntries } = await client.search(dn, { scope: 'base', attributes: [attribute] });
    const value = searchEntries[0]?.[attribute];
    if (value === undefined) return [];
    const values = Array.isArray(value) ? value : [value];
    return values.map((one) => (typeof one === 'string' ? one : one.toString('utf8')));
  });
}

export { LDAP_PEOPLE_DN };

/**
 * A person who exists only in the directory (added as HR would, so slapd sets pwdChangedTime),
 * linked to a Slack user of the harness's workspace.
 */
export async function linkedDirectoryPerson(
  server: LdapServerHandle,
  h: SlackHarness,
  person: { uid: string; name: string; mobile: string; password: string; slackUserId: string },
): Promise<{ person: SlackPerson; dn: string; email: string }> {
  const dn = `uid=${person.uid},${LDAP_PEOPLE_DN}`;
  const email = `${person.uid}@example.com`;
  await asAdmin(server, (client) =>
    client.add(dn, {
      objectClass: 'inetOrgPerson',
      uid: person.uid,
      cn: person.name,
      sn: person.name.split(' ')[0] ?? person.name,
      displayName: person.name,
      mail: email,
      mobile: person.mobile,
      userPassword: person.password,
    }),
  );
  const account = await h.application.stores.directory.getByLoginEmail(email);
  if (account === null) throw new Error('the directory entry was not found');
  await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, person.slackUserId);
  return { person: h.workspace.person({ id: person.slackUserId, email }), dn, email };
}

export interface LdapSlackServers {
  sms: SmsCapture;
  smtp: SmtpCapture;
  ldap: LdapServerHandle;
}

/** The Slack harness of a test file on a real slapd (DIRECTORY=ldap), with SMS and mail capture. */
export function useLdapSlackHarness(options: { env?: Record<string, string>; logger?: Logger } = {}): {
  harness: () => SlackHarness;
  servers: LdapSlackServers;
} {
  const servers = {} as LdapSlackServers;
  const harness = useSlackHarness(async () => {
    servers.sms = await SmsCapture.start();
    servers.smtp = await SmtpCapture.start();
    servers.ldap = await startLdapServer();
    return {
      ...(options.logger ? { logger: options.logger } : {}),
      env: {
        SMS_WEBHOOK_URL: servers.sms.url,
        SMS_WEBHOOK_SECRET: servers.sms.secret,
        SMTP_URL: servers.smtp.url,
        ...ldapEnvironment(servers.ldap),
        ...options.env,
      },
    };
  });
  afterAll(async () => {
    await servers.sms?.close();
    await servers.smtp?.close();
    await servers.ldap?.dispose();
  });
  return { harness, servers };
}
