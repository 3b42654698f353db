import { describe, expect, it } from 'vitest';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { slack } from '../../src/messages/slack.js';
import { visibleText } from '../support/slack/blocks.js';
import { useSlackHarness } from '../support/slack/harness.js';

const harness = useSlackHarness({ env: { SUPPORT_USER_IDS: 'U0AGENT' } });

describe("an account's own events, however busy the trail", () => {
  it('the Home tab still shows them after 600 events of other accounts, and skips a corrupt entry', async () => {
    const h = harness();
    const { directory, audit, redis } = h.application.stores;
    const account = await directory.create({ loginEmail: 'busy.home@example.com', accountName: 'Busy' });
    await directory.linkSlackUser(account.accountId, h.fake.teamId, 'U0BUSY');
    const person = h.workspace.person({ id: 'U0BUSY', email: 'busy.home@example.com' });
    await audit.record({
      actor: `slack:${h.fake.teamId}:U0BUSY`,
      accountId: account.accountId,
      action: 'account.contactMobile',
      outcome: 'success',
    });
    if (redis === null) throw new Error('the Slack harness runs on Redis');
    const key = new RedisKeys(h.deps.config.redis.keyPrefix).account(account.accountId, 'audit');
    await redis.xadd(key, '*', 'actor', 'system', 'action', 'x', 'outcome', 'maybe', 'at', '1');
    for (let index = 0; index < 600; index += 1) {
      await audit.record({
        actor: 'system',
        accountId: `9${index}`,
        action: 'code.sent',
        outcome: 'success',
      });
    }

    await person.openHome();

    const home = visibleText(person.home().view.blocks);
    expect(home).toContain(slack.home.events['account.contactMobile']);
  });

  it("a support lookup lists the account's recent events after a busy hour", async () => {
    const h = harness();
    const { directory, audit } = h.application.stores;
    const account = await directory.create({ loginEmail: 'busy.lookup@example.com', accountName: 'Busy' });
    await directory.linkSlackUser(account.accountId, h.fake.teamId, 'U0LOOKED');
    h.workspace.person({ id: 'U0LOOKED', email: 'busy.lookup@example.com' });
    const agent = h.workspace.person({ id: 'U0AGENT', email: 'agent@example.com' });
    await audit.record({
      actor: 'system',
      accountId: account.accountId,
      action: 'password.reset-request',
      outcome: 'success',
    });
    for (let index = 0; index < 300; index += 1) {
      await audit.record({
        actor: 'system',
        accountId: `8${index}`,
        action: 'code.sent',
        outcome: 'success',
      });
    }

    await agent.mention('C0GENERAL', 'lookup <@U0LOOKED>');

    const answer = h.fake.messagesIn('C0GENERAL').at(-1);
    expect(answer?.ephemeralTo).toBe(agent.id);
    expect(visibleText(answer?.blocks, answer?.text)).toContain('password.reset-request');
  });
});
