import { describe, expect, it } from 'vitest';
import { slack as slackWords } from '../../src/messages/slack.js';
import { support } from '../../src/messages/support.js';
import { SUPPORT_CHANNEL, useSlackHarness } from '../support/slack/harness.js';

const harness = useSlackHarness({ env: { AUDIT_CHANNEL_ID: 'C0AUDIT' } });

describe('"This wasn\'t me"', () => {
  it('locks self-service, revokes links and codes, ends open flows and alerts support once', async () => {
    const h = harness();
    const account = await h.application.stores.directory.create({
      loginEmail: 'owner@example.com',
      accountName: 'Owner',
      securityMobile: '+8613800135678',
    });
    await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, 'U0OWNER');
    const person = h.workspace.person({ id: 'U0OWNER', email: 'owner@example.com' });
    const owner = `slack:${h.fake.teamId}:${person.id}`;
    const services = h.application.services;
    const link = await services.linkTokens.mint({
      accountId: account.accountId,
      kind: 'reset',
      credentialVersion: account.credentialVersion,
    });
    h.scanner.add('token', link);
    const binding = {
      accountId: account.accountId,
      flowId: 'pending-code-flow',
      purpose: 'step-up' as const,
      target: '+8613800135678',
      channel: 'sms' as const,
    };
    const issued = await services.codes.issue(binding);
    if (!issued.ok) throw new Error('code not issued');
    h.scanner.add('code', issued.code);
    expect((await h.engine.start(owner, 'changeContactMobile', {})).status).toBe('active');

    await h.runtime.client.chat.postMessage({
      channel: person.id,
      text: slackWords.notices.passwordChanged,
      blocks: [
        {
          type: 'actions',
          block_id: 'not_me',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: slackWords.notices.notMeButton },
              action_id: 'not_me',
              value: 'passwordChanged',
            },
          ],
        },
      ],
    });
    const notice = person.latestDm();
    await person.click(slackWords.notices.notMeButton, notice);

    const after = await h.application.stores.directory.getById(account.accountId);
    expect(after?.selfServiceLocked).toBe(true);
    expect(after?.credentialVersion).toBeGreaterThan(account.credentialVersion);
    expect((await services.linkTokens.peek(link)).ok).toBe(false);
    expect((await services.codes.verify(binding, issued.code)).outcome).not.toBe('ok');
    expect(await h.engine.active(owner)).toBeNull();
    const alerts = h.fake
      .messagesIn(SUPPORT_CHANNEL)
      .filter((message) => message.text.includes(account.accountId));
    expect(alerts).toHaveLength(1);
    expect(person.latestDm().text).toBe(support.notMe.done);

    await person.click(slackWords.notices.notMeButton, notice);
    expect(
      h.fake.messagesIn(SUPPORT_CHANNEL).filter((message) => message.text.includes(account.accountId)),
    ).toHaveLength(1);
    expect(person.latestDm().text).toBe(support.notMe.already);
    const reports = (await h.application.stores.audit.recent(50)).filter(
      (event) => event.action === 'account.not-me' && event.accountId === account.accountId,
    );
    expect(reports).toHaveLength(1);

    await person.say('change my mobile');
    expect(person.latestDm().text).toContain(slackWords.flowMessage.locked);
    expect(await h.engine.active(owner)).toBeNull();
  });
});
