import { describe, expect, it } from 'vitest';
import { slack as slackWords } from '../../src/messages/slack.js';
import { support } from '../../src/messages/support.js';
import { hasButton, visibleText } from '../support/slack/blocks.js';
import { useSlackHarness, type SlackHarness } from '../support/slack/harness.js';

const AUDIT_CHANNEL = 'C0AUDIT';
const AGENT = 'U0AGENT';
const GROUP_AGENT = 'U0GROUPAGENT';

const harness = useSlackHarness({
  env: { SUPPORT_USER_IDS: AGENT, SUPPORT_USERGROUP_ID: 'S0SUPPORT', AUDIT_CHANNEL_ID: AUDIT_CHANNEL },
});

let people = 0;
async function linkedPerson(h: SlackHarness, options: { mobile?: string } = {}) {
  people += 1;
  const id = `U0PERSON${people}`;
  const email = `person${people}@example.com`;
  const account = await h.application.stores.directory.create({
    loginEmail: email,
    accountName: `Person ${people}`,
    securityMobile: options.mobile ?? '+8613800135678',
  });
  await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, id);
  return { person: h.workspace.person({ id, email }), account, email };
}

function channelMessages(h: SlackHarness, channel: string) {
  return h.fake.messagesIn(channel);
}

describe('support in channels', () => {
  it('hands a plain mention over to a DM and answers in the thread', async () => {
    const h = harness();
    const { person } = await linkedPerson(h);
    await person.mention('C0GENERAL', 'can someone look at something for me');

    const replies = channelMessages(h, 'C0GENERAL');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.threadTs).toBeDefined();
    expect(replies[0]?.text).toBe(support.mention.handOff(person.id));
    const dm = person.latestDm();
    expect(dm.text).toBe(support.mention.dmIntro);
    expect(hasButton(dm.blocks, slackWords.menu.mobile)).toBe(true);
  });

  it('refuses a lookup from someone who is not an agent, politely and only to them', async () => {
    const h = harness();
    const { person: asker } = await linkedPerson(h);
    const { person: target, email } = await linkedPerson(h);
    await asker.mention('C0GENERAL', `lookup <@${target.id}>`);

    const answer = channelMessages(h, 'C0GENERAL').at(-1);
    expect(answer?.ephemeralTo).toBe(asker.id);
    expect(answer?.text).toBe(support.commands.notAgent);
    expect(answer?.text).not.toContain(email);
    const refused = (await h.application.stores.audit.recent(20)).find(
      (event) => event.action === 'support.lookup' && event.outcome === 'refused',
    );
    expect(refused?.actor).toBe(`support:${h.fake.teamId}:${asker.id}`);
  });

  it('shows an agent a masked summary, visible to the agent only', async () => {
    const h = harness();
    const agent = h.workspace.person({ id: AGENT });
    const { person: target, account, email } = await linkedPerson(h);
    await agent.mention('C0GENERAL', `lookup <@${target.id}>`);

    const answer = channelMessages(h, 'C0GENERAL').at(-1);
    expect(answer?.ephemeralTo).toBe(AGENT);
    const text = visibleText(answer?.blocks, answer?.text);
    expect(text).toContain(account.accountId);
    expect(text).toContain('+86 138****5678');
    expect(text).not.toContain(email);
    expect(text).not.toContain('13800135678');
  });

  it('lets a member of the support user group act, and mirrors the audit event without detail', async () => {
    const h = harness();
    h.fake.setUsergroup('S0SUPPORT', [GROUP_AGENT]);
    const agent = h.workspace.person({ id: GROUP_AGENT });
    const { person: target, account } = await linkedPerson(h);
    await agent.mention('C0GENERAL', `lookup <@${target.id}>`);

    expect(channelMessages(h, 'C0GENERAL').at(-1)?.text).toContain(account.accountId);
    const mirrored = channelMessages(h, AUDIT_CHANNEL).at(-1)?.text ?? '';
    expect(mirrored).toContain('support.lookup');
    expect(mirrored).toContain(account.accountId);
  });

  it('unlocks a locked account from a mention and tells the person', async () => {
    const h = harness();
    const agent = h.workspace.person({ id: AGENT });
    const { person: target, account } = await linkedPerson(h);
    await h.application.stores.directory.setSelfServiceLock(account.accountId, true, 'test');

    await agent.mention('C0GENERAL', `unlock <@${target.id}>`);

    expect((await h.application.stores.directory.getById(account.accountId))?.selfServiceLocked).toBe(false);
    expect(channelMessages(h, 'C0GENERAL').at(-1)?.text).toBe(support.unlock.done(target.id));
    expect(target.latestDm().text).toBe(support.unlock.userNotice);
  });

  it('sends a reset offer as a DM button that starts the reset flow, with no link anywhere', async () => {
    const h = harness();
    const { person: target } = await linkedPerson(h);
    const agent = h.workspace.person({ id: AGENT });
    await agent.command(`reset-offer <@${target.id}>`, { channel: 'C0GENERAL' });
    expect(channelMessages(h, 'C0GENERAL').at(-1)).toMatchObject({
      ephemeralTo: AGENT,
      text: support.resetOffer.sent(target.id),
    });
    const offer = target.latestDm();
    expect(offer.text).toBe(support.resetOffer.dmText);
    expect(JSON.stringify(offer.blocks)).not.toMatch(/https?:/);

    await target.click(support.resetOffer.button, offer);
    expect((await h.engine.active(`slack:${h.fake.teamId}:${target.id}`))?.machineId).toBe('resetPassword');
  });

  it('answers /account support subcommands only to the person who ran them, refusing non-agents', async () => {
    const h = harness();
    const { person: asker } = await linkedPerson(h);
    const { person: target, account, email } = await linkedPerson(h);
    const agent = h.workspace.person({ id: AGENT });

    expect((await asker.command(`lookup <@${target.id}>`)).status).toBe(200);
    const refusal = h.fake.messagesIn(asker.dmChannel).at(-1);
    expect(refusal).toMatchObject({ ephemeralTo: asker.id, text: support.commands.notAgent });

    await agent.command(`lookup <@${target.id}>`, { channel: 'C0GENERAL' });
    const summary = h.fake.messagesIn('C0GENERAL').at(-1);
    expect(summary?.ephemeralTo).toBe(AGENT);
    expect(summary?.text).toContain(account.accountId);
    expect(summary?.text).not.toContain(email);
  });

  it('refuses an agent command that does not name exactly one user, saying how to use it', async () => {
    const h = harness();
    const agent = h.workspace.person({ id: AGENT });
    await agent.mention('C0GENERAL', 'unlock everyone');
    expect(channelMessages(h, 'C0GENERAL').at(-1)).toMatchObject({
      ephemeralTo: AGENT,
      text: support.commands.usage,
    });
  });

  it("refuses and audits every support action on the agent's own account, also through a second Slack user of it", async () => {
    const h = harness();
    const agent = h.workspace.person({ id: AGENT });
    const secondSelf = 'U0AGENTALT';
    const own = await h.application.stores.directory.create({
      loginEmail: 'agent@example.com',
      accountName: 'The Agent',
      securityMobile: '+8613800139999',
    });
    await h.application.stores.directory.linkSlackUser(own.accountId, h.fake.teamId, AGENT);
    await h.application.stores.directory.linkSlackUser(own.accountId, h.fake.teamId, secondSelf);
    await h.application.stores.directory.setSelfServiceLock(
      own.accountId,
      true,
      'reported by the account owner',
    );

    for (const verb of ['unlock', 'reset-offer', 'lookup']) {
      for (const target of [AGENT, secondSelf]) {
        await agent.mention('C0GENERAL', `${verb} <@${target}>`);
        expect(channelMessages(h, 'C0GENERAL').at(-1)).toMatchObject({
          ephemeralTo: AGENT,
          text: support.commands.ownAccount,
        });
      }
    }

    expect((await h.application.stores.directory.getById(own.accountId))?.selfServiceLocked).toBe(true);
    expect(h.fake.messagesIn(h.fake.dmChannelOf(secondSelf))).toEqual([]);
    const refusals = (await h.application.stores.audit.recent(50)).filter(
      (event) => event.accountId === own.accountId && event.detail?.reason === 'own-account',
    );
    expect(refusals.map((event) => [event.action, event.outcome])).toEqual(
      expect.arrayContaining([
        ['support.unlock', 'refused'],
        ['support.reset-offer', 'refused'],
        ['support.lookup', 'refused'],
      ]),
    );
    expect(refusals).toHaveLength(6);
    expect(refusals.every((event) => event.actor === `support:${h.fake.teamId}:${AGENT}`)).toBe(true);
  });
});
