import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LdapConnections } from '../../src/adapters/ldap/connections.js';
import { TemporarilyUnavailableError } from '../../src/core/errors.js';
import { ldapConfigFor } from '../support/ldap.js';
import { startLdapServer, type LdapServerHandle } from '../support/ldap-server.js';

/**
 * A frozen slapd (SIGSTOP) accepts connections and never answers. LDAP_TIMEOUT_MS is the
 * whole time one directory operation may take, failover across the URLs included.
 */
const TIMEOUT_MS = 2_000;

let first: LdapServerHandle;
let second: LdapServerHandle;
const opened: LdapConnections[] = [];

beforeAll(async () => {
  [first, second] = await Promise.all([startLdapServer(), startLdapServer()]);
});
afterAll(async () => {
  await Promise.all(opened.map((connections) => connections.close()));
  await Promise.all([first.dispose(), second.dispose()]);
});

/** Connections bound as the service account (both test servers share neither data nor password: bind to `second`'s). */
function connectionsTo(urls: string[], server: LdapServerHandle): LdapConnections {
  const connections = new LdapConnections(
    ldapConfigFor(server, { urls, timeoutMs: TIMEOUT_MS, poolSize: 2 }),
  );
  opened.push(connections);
  return connections;
}

const rootDse = (connections: LdapConnections) =>
  connections.service('read root DSE', (client) => client.search('', { scope: 'base', attributes: ['1.1'] }));

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T | unknown }> {
  const started = performance.now();
  const result = await work().catch((error: unknown) => error);
  return { ms: performance.now() - started, result };
}

describe('LDAP connections when a server hangs', () => {
  it.each([
    ['one URL', 1],
    ['three URLs', 3],
  ])(
    '%s, all hung: "temporarily unavailable" once LDAP_TIMEOUT_MS is spent, not once per retry',
    async (_, count) => {
      const connections = connectionsTo(Array<string>(count).fill(first.url), first);
      await rootDse(connections);
      first.pause();
      try {
        const { ms, result } = await timed(() => rootDse(connections));
        expect(result).toBeInstanceOf(TemporarilyUnavailableError);
        expect(ms).toBeLessThan(TIMEOUT_MS * 1.4);
      } finally {
        first.resume();
      }
      await expect(rootDse(connections)).resolves.toBeDefined();
    },
  );

  it('the first URL hung: the second answers within LDAP_TIMEOUT_MS, and the pool then goes there first', async () => {
    const connections = connectionsTo([first.url, second.url], second);
    first.pause();
    try {
      const failover = await timed(() => rootDse(connections));
      expect(failover.result).not.toBeInstanceOf(Error);
      expect(failover.ms).toBeLessThan(TIMEOUT_MS * 0.75);
      // The pool's other connection has not been opened yet: it goes to the URL that answered.
      const next = await timed(() => rootDse(connections));
      expect(next.result).not.toBeInstanceOf(Error);
      expect(next.ms).toBeLessThan(TIMEOUT_MS / 2);
    } finally {
      first.resume();
    }
  });
});
