import { describe, expect, it } from 'vitest';
import { buildServices } from '../app/services.js';
import { buildStores } from '../app/stores.js';
import { loadConfig } from '../config/config.js';
import { ManualClock } from '../core/clock.js';
import { AccountProtection } from './account-protection.js';

const REPORTER = { teamId: 'T0TEST', userId: 'U0OWNER' };

async function setup() {
  const loaded = loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4' });
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const clock = new ManualClock();
  const stores = await buildStores(loaded.config, clock);
  const services = buildServices(loaded.config, stores, clock);
  const alerts: string[] = [];
  const ended: string[] = [];
  const protection = new AccountProtection({
    directory: stores.directory,
    passwords: services.passwords,
    audit: stores.audit,
    dedupe: stores.dedupe,
    lockReason: 'reported by the account owner',
    endOpenFlows: async (account) => {
      ended.push(account.accountId);
      return 1;
    },
    alertSupport: async ({ accountId }) => {
      alerts.push(accountId);
    },
  });
  const account = await stores.directory.create({ loginEmail: 'owner@example.com', accountName: 'Owner' });
  await stores.directory.linkSlackUser(account.accountId, REPORTER.teamId, REPORTER.userId);
  return { stores, services, protection, account, alerts, ended };
}

describe('AccountProtection', () => {
  it('locks, revokes links and codes, ends flows, audits and alerts', async () => {
    const { stores, services, protection, account, alerts, ended } = await setup();
    const link = await services.linkTokens.mint({
      accountId: account.accountId,
      kind: 'reset',
      credentialVersion: account.credentialVersion,
    });
    const binding = {
      accountId: account.accountId,
      flowId: 'flow-1',
      purpose: 'step-up' as const,
      target: 'owner@example.com',
      channel: 'email' as const,
    };
    const issued = await services.codes.issue(binding);
    if (!issued.ok) throw new Error('no code');

    const result = await protection.reportNotMe(REPORTER, 'notice-1');

    expect(result).toEqual({ outcome: 'locked', accountId: account.accountId, flowsEnded: 1 });
    const after = await stores.directory.getById(account.accountId);
    expect(after).toMatchObject({ selfServiceLocked: true, lockedReason: 'reported by the account owner' });
    expect(after?.credentialVersion).toBeGreaterThan(account.credentialVersion);
    expect((await services.linkTokens.peek(link)).ok).toBe(false);
    expect((await services.codes.verify(binding, issued.code)).outcome).not.toBe('ok');
    expect(ended).toEqual([account.accountId]);
    expect(alerts).toEqual([account.accountId]);
    const [event] = await stores.audit.recent(1);
    expect(event).toMatchObject({
      action: 'account.not-me',
      outcome: 'success',
      accountId: account.accountId,
    });
  });

  it('alerts and audits once per notice however often it is pressed, but protects every time', async () => {
    const { protection, account, alerts, ended } = await setup();
    await protection.reportNotMe(REPORTER, 'notice-1');
    expect(await protection.reportNotMe(REPORTER, 'notice-1')).toEqual({
      outcome: 'already-reported',
      accountId: account.accountId,
    });
    expect(alerts).toHaveLength(1);
    expect(ended).toHaveLength(2);
    await protection.reportNotMe(REPORTER, 'notice-2');
    expect(alerts).toHaveLength(2);
  });

  it('does nothing for a Slack user without an account, and says so', async () => {
    const { protection, alerts } = await setup();
    expect(await protection.reportNotMe({ teamId: 'T0TEST', userId: 'U0NOBODY' }, 'n')).toEqual({
      outcome: 'not-linked',
    });
    expect(alerts).toEqual([]);
  });
});
