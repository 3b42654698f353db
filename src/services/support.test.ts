import { describe, expect, it } from 'vitest';
import { buildServices } from '../app/services.js';
import { buildStores } from '../app/stores.js';
import { loadConfig } from '../config/config.js';
import { ManualClock } from '../core/clock.js';
import { SupportService, type SlackPersonRef } from './support.js';

const TEAM = 'T0TEST';
const AGENT: SlackPersonRef = { teamId: TEAM, userId: 'U0AGENT' };
const STRANGER: SlackPersonRef = { teamId: TEAM, userId: 'U0STRANGER' };
const TARGET: SlackPersonRef = { teamId: TEAM, userId: 'U0TARGET' };

async function setup() {
  const loaded = loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4' });
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const clock = new ManualClock();
  const stores = await buildStores(loaded.config, clock);
  const services = buildServices(loaded.config, stores, clock);
  const offers: string[] = [];
  const unlockNotices: string[] = [];
  let deliverable = true;
  const service = new SupportService({
    directory: stores.directory,
    codes: services.codes,
    rateLimiter: stores.rateLimiter,
    audit: stores.audit,
    clock,
    isAgent: async (person) => person.userId === AGENT.userId,
    deliverResetOffer: async (target) => {
      if (deliverable) offers.push(target.userId);
      return deliverable;
    },
    tellUnlocked: async (target) => {
      unlockNotices.push(target.userId);
    },
  });
  const account = await stores.directory.create({
    loginEmail: 'target@example.com',
    accountName: 'Target',
    securityMobile: '+8613800135678',
  });
  await stores.directory.linkSlackUser(account.accountId, TEAM, TARGET.userId);
  return {
    stores,
    services,
    service,
    account,
    offers,
    unlockNotices,
    undeliverable: () => {
      deliverable = false;
    },
  };
}

describe('SupportService', () => {
  it('refuses everyone who is not an agent, for every action, and audits the refusal', async () => {
    const { service, stores, offers } = await setup();
    expect(await service.lookup(STRANGER, TARGET)).toEqual({ outcome: 'refused' });
    expect(await service.unlock(STRANGER, TARGET)).toEqual({ outcome: 'refused' });
    expect(await service.sendResetOffer(STRANGER, TARGET)).toEqual({ outcome: 'refused' });
    expect(offers).toEqual([]);
    const refused = (await stores.audit.recent(10)).filter((event) => event.outcome === 'refused');
    expect(refused.map((event) => event.action).sort()).toEqual([
      'support.lookup',
      'support.reset-offer',
      'support.unlock',
    ]);
    expect(refused.every((event) => event.actor === `support:${TEAM}:${STRANGER.userId}`)).toBe(true);
  });

  it('says when the named user has no account', async () => {
    const { service } = await setup();
    expect(await service.lookup(AGENT, { teamId: TEAM, userId: 'U0NOBODY' })).toEqual({
      outcome: 'no-account',
    });
  });

  it('looks up a masked summary with the account’s own recent events', async () => {
    const { service, stores, account } = await setup();
    await stores.audit.record({
      actor: 'system',
      accountId: account.accountId,
      action: 'code.issued',
      outcome: 'success',
    });
    await stores.audit.record({
      actor: 'system',
      accountId: '999',
      action: 'other.account',
      outcome: 'success',
    });
    const result = await service.lookup(AGENT, TARGET);
    if (result.outcome !== 'found') throw new Error(result.outcome);
    expect(result.summary).toMatchObject({
      accountId: account.accountId,
      loginEmail: 't***t@example.com',
      securityMobile: '+86 138****5678',
      verification: 'unverified',
      lock: null,
    });
    expect(result.summary.recent.map((event) => event.action)).toEqual(['code.issued']);
    expect(JSON.stringify(result)).not.toContain('target@example.com');
  });

  it('unlocks self-service, the code lock and the wrong-password count, and tells the person', async () => {
    const { service, stores, account, unlockNotices } = await setup();
    await stores.directory.setSelfServiceLock(account.accountId, true, 'test');
    const subject = { tag: `acct:${account.accountId}`, name: 'wrong-current-password' };
    const rule = { limit: 1, windowMs: 60_000, mode: 'sliding' as const };
    await stores.rateLimiter.hit(subject, rule);
    expect((await stores.rateLimiter.peek(subject, rule)).allowed).toBe(false);

    expect(await service.unlock(AGENT, TARGET)).toEqual({
      outcome: 'unlocked',
      accountId: account.accountId,
    });
    expect((await stores.directory.getById(account.accountId))?.selfServiceLocked).toBe(false);
    expect((await stores.rateLimiter.peek(subject, rule)).allowed).toBe(true);
    expect(unlockNotices).toEqual([TARGET.userId]);
  });

  it('sends a reset offer, but not to a locked account, and reports an undeliverable DM', async () => {
    const { service, stores, account, offers, undeliverable } = await setup();
    expect(await service.sendResetOffer(AGENT, TARGET)).toEqual({ outcome: 'sent' });
    expect(offers).toEqual([TARGET.userId]);

    await stores.directory.setSelfServiceLock(account.accountId, true, 'test');
    expect(await service.sendResetOffer(AGENT, TARGET)).toEqual({ outcome: 'locked' });
    await stores.directory.setSelfServiceLock(account.accountId, false);

    undeliverable();
    expect(await service.sendResetOffer(AGENT, TARGET)).toEqual({ outcome: 'undeliverable' });
    expect(offers).toEqual([TARGET.userId]);
  });
});
