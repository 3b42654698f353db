import { Attribute, Change } from 'ldapts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LdapAccountDirectory } from '../../src/adapters/ldap/account-directory.js';
import { LdapConnections } from '../../src/adapters/ldap/connections.js';
import { MemoryAccountDirectory } from '../../src/adapters/memory/account-directory.js';
import { ManualClock } from '../../src/core/clock.js';
import { TemporarilyUnavailableError } from '../../src/core/errors.js';
import { defaultAttributeMap } from '../../src/config/ldap-attributes.js';
import type { LdapConfig } from '../../src/config/directory.js';
import { DirectoryRefusedError } from '../../src/ports/directory-errors.js';
import { asAdmin, attributeOf, ldapConfigFor, LDAP_PEOPLE_DN, removeAllPeople } from '../support/ldap.js';
import { startLdapServer, type LdapServerHandle } from '../support/ldap-server.js';
import { freePort } from '../support/redis-server.js';

let server: LdapServerHandle;
const opened: LdapConnections[] = [];

beforeAll(async () => {
  server = await startLdapServer();
});

afterAll(async () => {
  await Promise.all(opened.map((connections) => connections.close()));
  await server.dispose();
});

function build(overrides: Partial<LdapConfig> = {}) {
  const config = ldapConfigFor(server, overrides);
  const connections = new LdapConnections(config);
  opened.push(connections);
  const clock = new ManualClock();
  const records = new MemoryAccountDirectory(clock);
  return { connections, records, directory: new LdapAccountDirectory(connections, records, config, clock) };
}

async function addPerson(uid: string, attributes: Record<string, string>): Promise<string> {
  const dn = `uid=${uid},${LDAP_PEOPLE_DN}`;
  await asAdmin(server, (client) =>
    client.add(dn, { objectClass: 'inetOrgPerson', uid, cn: uid, sn: uid, ...attributes }),
  );
  return dn;
}

describe('LDAP account directory against slapd', () => {
  beforeEach(async () => {
    await removeAllPeople(server);
  });

  it('finds a person by the exact login email only: filter syntax in the input matches nothing', async () => {
    const { directory } = build();
    await addPerson('ada', { mail: 'ada@example.com', displayName: 'Ada Lovelace' });
    await addPerson('star', { mail: '*)(uid=*' });
    expect((await directory.getByLoginEmail('ADA@example.com'))?.accountName).toBe('Ada Lovelace');
    expect(await directory.getByLoginEmail('*')).toBeNull();
    expect(await directory.getByLoginEmail('ada@example.com)(mail=*')).toBeNull();
    expect(await directory.getByLoginEmail('*@example.com')).toBeNull();
    expect((await directory.getByLoginEmail('*)(uid=*'))?.loginEmail).toBe('*)(uid=*');
  });

  it('keeps the account, its Slack link and product data when the entry is renamed', async () => {
    const { directory } = build();
    const dn = await addPerson('grace', { mail: 'grace@example.com', mobile: '+1 415 555 0100' });
    const account = await directory.getByLoginEmail('grace@example.com');
    if (!account) throw new Error('not found');
    expect(account.securityMobile).toBe('+14155550100');
    await directory.linkSlackUser(account.accountId, 'T1', 'UGRACE');
    await directory.update(account.accountId, { verificationEmail: 'grace.security@example.com' });
    await asAdmin(server, (client) => client.modifyDN(dn, 'uid=grace.hopper'));
    const after = await directory.getBySlackUser('T1', 'UGRACE');
    expect(after).toMatchObject({
      accountId: account.accountId,
      loginEmail: 'grace@example.com',
      verificationEmail: 'grace.security@example.com',
    });
  });

  it('shows values changed in the directory by other tools, in the product formats', async () => {
    const { directory } = build();
    const dn = await addPerson('alan', { mail: 'alan@example.com' });
    const account = await directory.getByLoginEmail('alan@example.com');
    await asAdmin(server, (client) =>
      client.modify(dn, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'mobile', values: ['+44 7911 123456'] }),
        }),
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'displayName', values: ['Alan T.'] }),
        }),
      ]),
    );
    expect(await directory.getById(account?.accountId ?? '')).toMatchObject({
      securityMobile: '+447911123456',
      accountName: 'Alan T.',
    });
  });

  it('writes mapped fields to the entry and the rest to the product store', async () => {
    const { directory, records } = build();
    const dn = await addPerson('kat', { mail: 'kat@example.com' });
    const account = await directory.getByLoginEmail('kat@example.com');
    const id = account?.accountId ?? '';
    await directory.update(id, { securityMobile: '+8613812345678', verificationEmail: 'kat.s@example.com' });
    expect(await attributeOf(server, dn, 'mobile')).toEqual(['+8613812345678']);
    expect((await records.getById(id))?.verificationEmail).toBe('kat.s@example.com');
    await directory.update(id, { securityMobile: null });
    expect(await attributeOf(server, dn, 'mobile')).toEqual([]);
  });

  it('turns a write the directory schema refuses into DirectoryRefusedError with nothing half-written', async () => {
    // `c` (country) is not an inetOrgPerson attribute: slapd refuses the whole modify.
    const { directory, records } = build({
      attributes: { ...defaultAttributeMap('openldap'), industry: 'c' },
    });
    const dn = await addPerson('edsger', { mail: 'edsger@example.com', displayName: 'Edsger' });
    const account = await directory.getByLoginEmail('edsger@example.com');
    const id = account?.accountId ?? '';
    await expect(directory.update(id, { accountName: 'E. W. Dijkstra', industry: 'NL' })).rejects.toThrow(
      DirectoryRefusedError,
    );
    expect(await attributeOf(server, dn, 'displayName')).toEqual(['Edsger']);
    expect((await records.getById(id))?.accountName).toBe(account?.accountName);
  });

  it('fails closed while slapd is down, and works again when it returns; readiness follows', async () => {
    const { directory, connections } = build();
    await addPerson('barbara', { mail: 'barbara@example.com' });
    const account = await directory.getByLoginEmail('barbara@example.com');
    const id = account?.accountId ?? '';
    expect(await connections.ping()).toBe(true);
    await server.stop();
    try {
      const started = Date.now();
      await expect(directory.getByLoginEmail('barbara@example.com')).rejects.toThrow(
        TemporarilyUnavailableError,
      );
      await expect(directory.update(id, { accountName: 'Barbara L.' })).rejects.toThrow(
        TemporarilyUnavailableError,
      );
      expect(await connections.ping()).toBe(false);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await server.start();
    }
    expect(await connections.ping()).toBe(true);
    expect((await directory.getById(id))?.accountName).toBe(account?.accountName);
  });

  it('fails over to the next URL when the first does not answer', async () => {
    const dead = `ldap://127.0.0.1:${await freePort()}`;
    const { directory } = build({ urls: [dead, server.url] });
    await addPerson('hedy', { mail: 'hedy@example.com' });
    expect((await directory.getByLoginEmail('hedy@example.com'))?.loginEmail).toBe('hedy@example.com');
  });

  it('never shows the service password in an error, even when the bind is refused', async () => {
    const { directory } = build({ bindPassword: 'not-the-real-service-password' });
    const error = await directory.getByLoginEmail('x@example.com').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(String(error) + JSON.stringify(error)).not.toContain('not-the-real-service-password');
  });
});
