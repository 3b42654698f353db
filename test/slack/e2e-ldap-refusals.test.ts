import { Attribute, Change } from 'ldapts';
import { describe, expect, it, vi } from 'vitest';
import { directory as directoryMessages } from '../../src/messages/directory.js';
import { slack } from '../../src/messages/slack.js';
import { support } from '../../src/messages/support.js';
import { capturedLogger } from '../support/log-capture.js';
import { visibleText } from '../support/slack/blocks.js';
import type { SlackPerson } from '../support/slack/workspace.js';
import { asAdmin, attributeOf, binds, linkedDirectoryPerson, useLdapSlackHarness } from '../support/ldap.js';

const AGENT = 'U0AGENTR';
const logs = capturedLogger('debug');
const { harness, servers } = useLdapSlackHarness({
  logger: logs.logger,
  // `otherMailbox` is not an inetOrgPerson attribute: the directory's schema refuses it.
  env: { LDAP_ATTRIBUTES: 'contactEmail=otherMailbox', SUPPORT_USER_IDS: AGENT },
});

let users = 0;
const CONTACT_NUMBER = '+861012345678';

/**
 * A person the directory keeps out of the app's reach for the contact number and the display
 * name (uid=fixed-*: the test slapd lets the service account read, not write, them).
 */
async function fixedPerson(): Promise<{ person: SlackPerson; dn: string; mobile: string }> {
  users += 1;
  const mobile = `+86138003${String(users).padStart(5, '0')}`;
  const { person, dn } = await linkedDirectoryPerson(servers.ldap, harness(), {
    uid: `fixed-${users}`,
    name: `Fixed ${users}`,
    mobile,
    password: 'Initial.pass1',
    slackUserId: `U0F${users}`,
  });
  await asAdmin(servers.ldap, (client) =>
    client.modify(
      dn,
      new Change({
        operation: 'add',
        modification: new Attribute({ type: 'telephoneNumber', values: [CONTACT_NUMBER] }),
      }),
    ),
  );
  return { person, dn, mobile };
}

async function enterCode(person: SlackPerson, code: string) {
  await person.click(slack.buttons.enterCode);
  return person.submit({ Code: code });
}

function expectNoSecretsLogged(secrets: string[]): void {
  const text = logs.lines.join('');
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('directory write refusals through Slack (real slapd)', () => {
  it('a contact number the directory does not let the app change: the message names it; both stores unchanged', async () => {
    const h = harness();
    const { person, dn } = await fixedPerson();
    await person.say('change my mobile');
    await person.click(slack.buttons.enterValue);
    await person.submit({ 'New contact number': '+86 139 0013 9200' });
    const code = await servers.sms.code('+8613900139200');
    await enterCode(person, code);

    expect(visibleText(person.latestDm().blocks)).toContain(
      directoryMessages.writeRefused.access('contactMobile'),
    );
    expect(await attributeOf(servers.ldap, dn, 'telephoneNumber')).toEqual([CONTACT_NUMBER]);
    const account = await h.application.stores.directory.getBySlackUser(h.fake.teamId, person.id);
    expect(account?.contactNumber).toBe(CONTACT_NUMBER);
    expectNoSecretsLogged([code, 'Initial.pass1', servers.ldap.servicePassword]);
  });

  it('an account name the directory does not let the app change: the form says so; nothing written', async () => {
    const h = harness();
    const { person, dn } = await fixedPerson();
    await person.say('hi');
    await person.click(slack.menu.info);
    await person.click(slack.basicInfo.editName);
    await person.click(slack.basicInfo.openForm);
    const refused = await person.submit({ 'Account name': 'Renamed Person' });
    expect(refused.json?.response_action).toBe('errors');
    expect(refused.json?.errors).toEqual({
      accountName: directoryMessages.writeRefused.access('accountName'),
    });
    expect(await attributeOf(servers.ldap, dn, 'displayName')).toEqual([`Fixed ${users}`]);
    const account = await h.application.stores.directory.getBySlackUser(h.fake.teamId, person.id);
    expect(account?.accountName).toBe(`Fixed ${users}`);
  });

  it('a contact email the schema refuses: the message says so and asks for another value; nothing written', async () => {
    const h = harness();
    const { person, dn } = await fixedPerson();
    await person.say('change my email');
    await person.click(slack.buttons.enterValue);
    await person.submit({ 'New contact email': 'billing@example.com' });

    expect(visibleText(person.latestDm().blocks)).toContain(
      directoryMessages.writeRefused.schema('contactEmail'),
    );
    expect(await attributeOf(servers.ldap, dn, 'otherMailbox')).toEqual([]);
    const account = await h.application.stores.directory.getBySlackUser(h.fake.teamId, person.id);
    expect(account?.contactEmail).toBeNull();
    expect(servers.smtp.messages).toHaveLength(0);
  });

  it("support unlock the directory refuses: the agent is told; the lockout and the person's other locks stay", async () => {
    const h = harness();
    const { person, dn } = await fixedPerson();
    for (let i = 0; i < 5; i++) await binds(servers.ldap, dn, `Wrong.guess${i}`);
    await vi.waitFor(
      async () => expect(await attributeOf(servers.ldap, dn, 'pwdAccountLockedTime')).toHaveLength(1),
      {
        timeout: 5_000,
        interval: 50,
      },
    );
    const account = await h.application.stores.directory.getBySlackUser(h.fake.teamId, person.id);
    await h.application.stores.directory.setSelfServiceLock(account?.accountId ?? '', true, 'test');
    const agent = h.workspace.person({ id: AGENT });
    await agent.mention('C0GENERAL', `unlock <@${person.id}>`);
    const answer = h.fake.messagesIn('C0GENERAL').at(-1);
    expect(visibleText(answer?.blocks, answer?.text)).toContain(support.unlock.directoryRefused(person.id));
    expect(await attributeOf(servers.ldap, dn, 'pwdAccountLockedTime')).toHaveLength(1);
    expect(
      (await h.application.stores.directory.getBySlackUser(h.fake.teamId, person.id))?.selfServiceLocked,
    ).toBe(true);
  });
});
