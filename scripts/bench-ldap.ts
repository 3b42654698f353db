/**
 * The directory connector's cost per step: the same operations on the embedded store and on a
 * real slapd (spawned on a free loopback port, as the tests do), and what the directory adds.
 */
import { buildStores } from '../src/app/stores.js';
import { loadConfig } from '../src/config/config.js';
import { systemClock } from '../src/core/clock.js';
import { ldapEnvironment, startLdapServer } from '../test/support/ldap-server.js';

const RUNS = 300;

/** p95 targets for the LDAP path on loopback, in ms. */
const TARGETS = {
  'lookup by login email': 10,
  'read by account id': 10,
  'write security mobile': 15,
  'password check (user bind)': 15,
  'password set (Password Modify + ppolicy)': 25,
  "own change (person's bind + Password Modify)": 30,
} as const;

type Step = keyof typeof TARGETS;

async function time(runs: number, body: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 10; i += 1) await body(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await body(i);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

const quantile = (times: number[], q: number) =>
  times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;

/** Prints the table; false when an LDAP p95 misses its target. */
export async function benchDirectory(redisUrl: string): Promise<boolean> {
  const ldap = await startLdapServer();
  const base = {
    NODE_ENV: 'test',
    BCRYPT_COST: '4',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `benchldap${Date.now()}`,
  };
  const embeddedLoaded = loadConfig(base);
  const ldapLoaded = loadConfig({
    ...base,
    ...ldapEnvironment(ldap),
  });
  if (!embeddedLoaded.ok || !ldapLoaded.ok) throw new Error('bench configuration refused');
  const embedded = await buildStores(embeddedLoaded.config, systemClock);
  const directory = await buildStores(ldapLoaded.config, systemClock);
  const passwords = directory.directoryPasswords;
  if (!passwords) throw new Error('no directory passwords');
  try {
    const person = {
      loginEmail: 'bench.ldap@example.com',
      accountName: 'Bench',
      securityMobile: '+8613800135678',
    };
    const inEmbedded = await embedded.directory.create(person);
    const inLdap = await directory.directory.create(person);
    await passwords.set(inLdap.accountId, 'Bench.pass-start');
    let current = 'Bench.pass-start';

    const steps: Record<
      Step,
      { embedded: ((i: number) => Promise<unknown>) | null; ldap: (i: number) => Promise<unknown> }
    > = {
      'lookup by login email': {
        embedded: () => embedded.directory.getByLoginEmail('BENCH.LDAP@example.com'),
        ldap: () => directory.directory.getByLoginEmail('BENCH.LDAP@example.com'),
      },
      'read by account id': {
        embedded: () => embedded.directory.getById(inEmbedded.accountId),
        ldap: () => directory.directory.getById(inLdap.accountId),
      },
      'write security mobile': {
        embedded: (i) => embedded.directory.update(inEmbedded.accountId, { securityMobile: mobile(i) }),
        ldap: (i) => directory.directory.update(inLdap.accountId, { securityMobile: mobile(i) }),
      },
      'password check (user bind)': {
        embedded: null,
        ldap: async () => {
          if ((await passwords.verify(inLdap.accountId, 'Bench.pass-start')) !== 'ok')
            throw new Error('bind failed');
        },
      },
      'password set (Password Modify + ppolicy)': {
        embedded: null,
        ldap: async (i) => {
          const set = await passwords.set(inLdap.accountId, `Bench.pass${i + 100}`);
          if (!set.ok) throw new Error(`refused: ${set.refusal}`);
          current = `Bench.pass${i + 100}`;
        },
      },
      "own change (person's bind + Password Modify)": {
        embedded: null,
        ldap: async (i) => {
          const changed = await passwords.change(inLdap.accountId, current, `Bench.own${i + 100}`);
          if (!changed.ok) throw new Error(`refused: ${changed.refusal}`);
          current = `Bench.own${i + 100}`;
        },
      },
    };
    const rows = [];
    let met = true;
    for (const [name, step] of Object.entries(steps) as [Step, (typeof steps)[Step]][]) {
      const viaLdap = await time(RUNS, step.ldap);
      const viaEmbedded = step.embedded ? await time(RUNS, step.embedded) : null;
      const p95 = quantile(viaLdap, 0.95);
      met &&= p95 <= TARGETS[name];
      rows.push({
        step: name,
        'embedded p50': viaEmbedded ? quantile(viaEmbedded, 0.5).toFixed(3) : '(bcrypt)',
        'ldap p50': quantile(viaLdap, 0.5).toFixed(3),
        'ldap p95': p95.toFixed(3),
        'added p50': viaEmbedded ? (quantile(viaLdap, 0.5) - quantile(viaEmbedded, 0.5)).toFixed(3) : '—',
        'target p95': TARGETS[name],
        met: p95 <= TARGETS[name] ? 'yes' : 'NO',
      });
    }
    console.log(`\ndirectory connector: embedded (Redis) vs LDAP (slapd on loopback), ${RUNS} runs (ms)`);
    console.table(rows);
    return met;
  } finally {
    await directory.close();
    await embedded.close();
    await ldap.dispose();
  }
}

function mobile(i: number): string {
  return `+86138${String(10_000_000 + Math.abs(i)).slice(-8)}`;
}
