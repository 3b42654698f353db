import bcrypt from 'bcrypt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildServices, type Services } from '../../src/app/services.js';
import { buildStores, type Stores } from '../../src/app/stores.js';
import type { AppConfig } from '../../src/config/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { testConfig } from '../support/config.js';
import { dumpValues, keysUnder } from '../support/redis.js';

const MINUTE = 60_000;

describe('account passwords on real Redis', () => {
  const clock = new ManualClock();
  let config: AppConfig;
  let stores: Stores;
  let services: Services;
  const secretsSeen: string[] = [];

  beforeAll(async () => {
    config = testConfig();
    stores = await buildStores(config, clock);
    services = buildServices(config, stores, clock);
  });

  afterAll(async () => {
    await stores.close();
  });

  async function newAccount(email: string, password: string) {
    secretsSeen.push(password);
    return stores.directory.create({
      loginEmail: email,
      accountName: 'Test Person',
      securityMobile: '+8613800135678',
      passwordHash: await services.credentials.hash(password),
    });
  }

  it('refuses a password that breaks the policy and names every rule', async () => {
    const account = await newAccount('rules@example.com', 'First.pass1');
    const result = await services.passwords.change(account.accountId, 'rules', 'test');
    expect(result.ok).toBe(false);
    if (result.ok || result.reason !== 'policy') throw new Error('expected a policy refusal');
    expect(result.failures.map((failure) => failure.rule)).toEqual(
      expect.arrayContaining(['length', 'digit', 'symbol', 'login-email']),
    );
    const unchanged = await stores.directory.getById(account.accountId);
    expect(unchanged?.credentialVersion).toBe(account.credentialVersion);
  });

  it('changes the password and revokes every link and code minted before', async () => {
    const account = await newAccount('revoke@example.com', 'First.pass1');
    const reset = await services.linkTokens.mint({
      accountId: account.accountId,
      kind: 'reset',
      credentialVersion: account.credentialVersion,
    });
    const binding = {
      accountId: account.accountId,
      flowId: 'flow-revoke',
      purpose: 'step-up',
      target: '+8613800135678',
      channel: 'sms',
    } as const;
    const issued = await services.codes.issue(binding);
    if (!issued.ok) throw new Error('code not issued');
    secretsSeen.push(reset, issued.code, 'Second.pass2');

    const result = await services.passwords.change(account.accountId, 'Second.pass2', 'test');
    expect(result).toEqual({
      ok: true,
      credentialVersion: account.credentialVersion + 1,
      changedAt: clock.now(),
    });

    expect(await services.linkTokens.peek(reset)).toMatchObject({ ok: false });
    expect(await services.codes.verify(binding, issued.code)).toEqual({ outcome: 'none' });
    expect((await services.passwords.authenticate('revoke@example.com', 'Second.pass2')).ok).toBe(true);
    expect((await services.passwords.authenticate('revoke@example.com', 'First.pass1')).ok).toBe(false);
  });

  it('refuses the last three passwords and allows the fourth one back', async () => {
    const account = await newAccount('history@example.com', 'Alpha.pass1');
    for (const next of ['Bravo.pass2', 'Charlie.pass3']) {
      expect((await services.passwords.change(account.accountId, next, 'test')).ok).toBe(true);
    }
    const repeat = await services.passwords.change(account.accountId, 'Alpha.pass1', 'test');
    expect(repeat.ok ? [] : repeat.reason === 'policy' ? repeat.failures.map((f) => f.rule) : []).toEqual([
      'history',
    ]);
    expect((await services.passwords.change(account.accountId, 'Delta.pass4', 'test')).ok).toBe(true);
    expect((await services.passwords.change(account.accountId, 'Alpha.pass1', 'test')).ok).toBe(true);
  });

  it("refuses the operator's company words and the account's own name, email words and company", async () => {
    const withWords = buildServices(
      testConfig({ PASSWORD_CONTEXT_WORDS: 'Acme, RocketShip' }),
      stores,
      clock,
    );
    const account = await stores.directory.create({
      loginEmail: 'marguerite.lopez@globex-mail.example',
      accountName: 'Marguerite Lopez',
      contactAddress: {
        fullName: 'Marguerite Lopez',
        companyName: 'Initech Systems',
        region: 'DE',
        state: 'Berlin',
        city: 'Berlin',
        address: 'Unter den Linden 1',
        postalCode: '10117',
      },
      passwordHash: await services.credentials.hash('First.pass1'),
    });
    const rulesOf = async (candidate: string) => {
      const verdict = await withWords.passwords.check(account.accountId, candidate);
      return verdict.ok ? [] : verdict.reason === 'policy' ? verdict.failures.map((f) => f.rule) : [];
    };
    for (const candidate of [
      'Acme2026!',
      'rocketship.7',
      'Marguerite#1',
      'lopez.2026!',
      'Globex-77!',
      'INITECH.9x',
    ])
      expect(await rulesOf(candidate), candidate).toEqual(['context']);
    expect(await rulesOf('Quiet.harbor7')).toEqual([]);
    expect(await rulesOf('Acme2026!')).toEqual(['context']);
    expect((await services.passwords.check(account.accountId, 'Acme2026!')).ok).toBe(true);
  });

  it('spends no bcrypt work on history for a password another rule refuses', async () => {
    const account = await newAccount('budget@example.com', 'Current.pw_1');
    const compares = vi.spyOn(bcrypt, 'compare');
    try {
      expect(await services.passwords.check(account.accountId, 'Current.pw_1 ')).toMatchObject({ ok: false });
      expect(await services.passwords.check(account.accountId, 'budget')).toMatchObject({ ok: false });
      expect(compares).not.toHaveBeenCalled();
      expect(await services.passwords.change(account.accountId, 'Current.pw_1', 'test')).toMatchObject({
        failures: [{ rule: 'history' }],
      });
      expect(compares).toHaveBeenCalledTimes(1);
    } finally {
      compares.mockRestore();
    }
  });

  it('cools down after five wrong current passwords in a row', async () => {
    const account = await newAccount('cooldown@example.com', 'Right.pass1');
    const outcomes = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      outcomes.push(
        await services.passwords.verifyCurrent(account.accountId, `Wrong.pass${attempt}`, 'test'),
      );
    }
    expect(outcomes.slice(0, 4).map((outcome) => (outcome.ok ? 'ok' : outcome.reason))).toEqual([
      'wrong',
      'wrong',
      'wrong',
      'wrong',
    ]);
    // Only the try that starts the cooldown says so: the owner is told once per cooldown.
    expect(outcomes[4]).toMatchObject({ ok: false, reason: 'cooling-down', started: true });
    expect(await services.passwords.verifyCurrent(account.accountId, 'Right.pass1', 'test')).toMatchObject({
      ok: false,
      reason: 'cooling-down',
      started: false,
    });
    clock.advance(15 * MINUTE);
    expect(await services.passwords.verifyCurrent(account.accountId, 'Right.pass1', 'test')).toEqual({
      ok: true,
    });
  });

  it('counts parallel wrong current passwords before comparing, so none slips past the limit', async () => {
    const account = await newAccount('parallel@example.com', 'Right.pass1');
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, attempt) =>
        services.passwords.verifyCurrent(account.accountId, `Wrong.pass${attempt}`, 'test'),
      ),
    );
    expect(outcomes.filter((outcome) => !outcome.ok && outcome.reason === 'wrong')).toHaveLength(4);
    expect(await services.passwords.verifyCurrent(account.accountId, 'Right.pass1', 'test')).toMatchObject({
      reason: 'cooling-down',
    });
  });

  it('re-hashes at the configured cost on sign-in without touching the credential version', async () => {
    const oldHash = await bcrypt.hash('Upgrade.pass1', 4);
    secretsSeen.push('Upgrade.pass1');
    const account = await stores.directory.create({
      loginEmail: 'upgrade@example.com',
      accountName: 'Upgrade',
      passwordHash: oldHash,
    });
    const stronger = buildServices(
      { ...config, passwords: { ...config.passwords, bcryptCost: 5 } },
      stores,
      clock,
    );
    expect(await stronger.passwords.authenticate('UPGRADE@example.com', 'Upgrade.pass1')).toEqual({
      ok: true,
      accountId: account.accountId,
    });
    const after = await stores.directory.getById(account.accountId);
    expect(bcrypt.getRounds(after?.passwordHash ?? '')).toBe(5);
    expect(after?.credentialVersion).toBe(account.credentialVersion);
    expect(await stronger.passwords.authenticate('upgrade@example.com', 'Upgrade.pass1')).toMatchObject({
      ok: true,
    });
  });

  it('answers an unknown email after the same bcrypt work, with no account named', async () => {
    expect(await services.passwords.authenticate('nobody@example.com', 'Any.pass1')).toEqual({ ok: false });
  });

  it('keeps no password, token or code in clear anywhere in Redis', async () => {
    const redis = stores.redis;
    if (!redis) throw new Error('expected Redis stores');
    const keys = await keysUnder(redis, config.redis.keyPrefix);
    expect(keys.length).toBeGreaterThan(10);
    const everything = await dumpValues(redis, keys);
    for (const secret of secretsSeen) expect(everything).not.toContain(secret);
  });
});
