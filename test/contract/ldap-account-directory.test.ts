import { afterAll, beforeAll } from 'vitest';
import { LdapAccountDirectory } from '../../src/adapters/ldap/account-directory.js';
import type { LdapConnections } from '../../src/adapters/ldap/connections.js';
import {
  MemoryAccountDirectory,
  MemoryDirectoryStorage,
} from '../../src/adapters/memory/account-directory.js';
import { ManualClock } from '../../src/core/clock.js';
import { connectionsFor, ldapConfigFor, removeAllPeople } from '../support/ldap.js';
import { startLdapServer, type LdapServerHandle } from '../support/ldap-server.js';
import { describeAccountDirectoryContract } from './account-directory.contract.js';

let server: LdapServerHandle;
let connections: LdapConnections;

beforeAll(async () => {
  server = await startLdapServer();
  connections = connectionsFor(server);
});

afterAll(async () => {
  await connections.close();
  await server.dispose();
});

describeAccountDirectoryContract(
  'ldap (slapd) with in-process product records',
  async () => {
    await removeAllPeople(server);
    const clock = new ManualClock();
    const storage = new MemoryDirectoryStorage();
    const config = ldapConfigFor(server);
    return {
      directory: new LdapAccountDirectory(
        connections,
        new MemoryAccountDirectory(clock, storage),
        config,
        clock,
      ),
      clock,
      corrupt: async (accountId) => {
        storage.accounts.set(accountId, '{"accountId":');
      },
    };
  },
  { passwords: 'directory' },
);
