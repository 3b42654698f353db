import { Attribute, Change, Client } from 'ldapts';
import { describe, expect, it, vi } from 'vitest';
import { PASSWORD_MODIFY_OID, passwordModifyRequest } from '../../src/adapters/ldap/passwords.js';
import { generalizedTime } from '../../src/adapters/ldap/times.js';
import { common } from '../../src/messages/common.js';
import { support } from '../../src/messages/support.js';
import { directory as directoryMessages } from '../../src/messages/directory.js';
import { flowText, flows, flowTimings } from '../../src/messages/flows.js';
import { slack } from '../../src/messages/slack.js';
import { findButton, visibleText } from '../support/slack/blocks.js';
import type { SlackPerson } from '../support/slack/workspace.js';
import {
  asAdmin,
  attributeOf,
  binds,
  LDAP_PEOPLE_DN,
  linkedDirectoryPerson,
  useLdapSlackHarness,
} from '../support/ldap.js';
import { LDAP_MIN_AGE_POLICY_DN, LDAP_MIN_AGE_SECONDS } from '../support/ldap-server.js';
import { capturedLogger } from '../support/log-capture.js';
import { readCode, readLink } from '../support/smtp-capture.js';

const AGENT = 'U0AGENTL';
const logs = capturedLogger('debug');
const { harness, servers } = useLdapSlackHarness({
  logger: logs.logger,
  env: { LDAP_TIMEOUT_MS: '1000', SUPPORT_USER_IDS: AGENT },
});

let users = 0;

/** A person who exists only in the directory, linked to Slack. */
async function employee(password: string): Promise<{ person: SlackPerson; dn: string; mobile: string }> {
  users += 1;
  const mobile = `+86138001${String(users).padStart(5, '0')}`;
  const { person, dn } = await linkedDirectoryPerson(servers.ldap, harness(), {
    uid: `employee${users}`,
    name: `Employee ${users}`,
    mobile,
    password,
    slackUserId: `U0L${users}`,
  });
  return { person, dn, mobile };
}

/** The person changes their password with another tool (here: Password Modify as themselves). */
async function changeElsewhere(dn: string, current: string, next: string): Promise<void> {
  const client = new Client({ url: servers.ldap.url, timeout: 2_000 });
  try {
    await client.bind(dn, current);
    await client.exop(PASSWORD_MODIFY_OID, passwordModifyRequest(dn, next));
  } finally {
    await client.unbind();
  }
}

async function enterCode(person: SlackPerson, code: string) {
  await person.click(slack.buttons.enterCode);
  return person.submit({ Code: code });
}

/** Step-up in Slack (skipped inside the privileged window), then the page token from the DM button. */
async function passwordPageToken(person: SlackPerson, mobile: string | null): Promise<string> {
  await person.command('password');
  if (mobile !== null) await enterCode(person, await servers.sms.code(mobile));
  const page = findButton(person.latestDm().blocks, slack.buttons.openPasswordPage);
  return new URL(page.url ?? '').pathname.split('/').at(-1) ?? '';
}

describe('Slack flows with an LDAP directory (real slapd)', () => {
  it('first contact finds the directory entry by the Slack profile email, exactly, and links it after a code', async () => {
    const h = harness();
    // Unescaped, the filter (mail=star*2@example.com) would match this entry too.
    const decoy = `uid=starbright,${LDAP_PEOPLE_DN}`;
    const dn = `uid=star2,${LDAP_PEOPLE_DN}`;
    await asAdmin(servers.ldap, async (client) => {
      await client.add(decoy, {
        objectClass: 'inetOrgPerson',
        uid: 'starbright',
        cn: 'Decoy',
        sn: 'Decoy',
        mail: 'starbright2@example.com',
      });
      await client.add(dn, {
        objectClass: 'inetOrgPerson',
        uid: 'star2',
        cn: 'Star',
        sn: 'Star',
        mail: 'star*2@example.com',
      });
    });
    const person = h.workspace.person({ id: 'U0STAR2', email: 'star*2@example.com' });
    await person.say('hello');
    await person.click(slack.buttons.enterCode);
    await person.submit({ Code: readCode(await servers.smtp.waitForMail('star*2@example.com')) });
    const linked = await h.application.stores.directory.getBySlackUser(h.fake.teamId, 'U0STAR2');
    expect(linked?.loginEmail).toBe('star*2@example.com');
    expect(linked?.accountName).toBe('Star');
    expect(
      servers.smtp.messages.some((mail) => JSON.stringify(mail).includes('starbright2@example.com')),
    ).toBe(false);
  });

  it('change password: the directory gets it hashed; the new one binds, the old one no longer does', async () => {
    const h = harness();
    const { person, dn, mobile } = await employee('Initial.pass1');
    h.scanner.add('password', 'Initial.pass1');
    h.scanner.add('password', 'Changed.pass2');
    const before = await h.application.stores.directory.getBySlackUser(h.fake.teamId, person.id);
    const token = await passwordPageToken(person, mobile);
    const state = await h.passwordPages?.changeSubmit(
      token,
      'Initial.pass1',
      'Changed.pass2',
      'Changed.pass2',
    );
    expect(state).toEqual({ page: 'done', kind: 'change' });
    expect(await binds(servers.ldap, dn, 'Changed.pass2')).toBe(true);
    expect(await binds(servers.ldap, dn, 'Initial.pass1')).toBe(false);
    const stored = await attributeOf(servers.ldap, dn, 'userPassword');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^\{SSHA\}/);
    const after = await h.application.stores.directory.getBySlackUser(h.fake.teamId, person.id);
    expect(after?.credentialVersion).toBeGreaterThan(before?.credentialVersion ?? 0);
    expect(after?.passwordChangedAt).toEqual(expect.any(Number));
    // The age reminder is keyed by the directory's own change time, which it compares when it runs.
    const reminder = `password-age:${after?.accountId}:${after?.passwordChangedAt}`;
    expect((await h.application.notifications.queue.status(reminder)).state).toBe('delayed');
  });

  it('the change is made as the person: someone whose password the service account may not set changes it', async () => {
    const h = harness();
    users += 1;
    const mobile = `+86138002${String(users).padStart(5, '0')}`;
    const { person, dn } = await linkedDirectoryPerson(servers.ldap, h, {
      uid: `privileged${users}`,
      name: `Privileged ${users}`,
      mobile,
      password: 'Initial.pass1',
      slackUserId: `U0P${users}`,
    });
    const token = await passwordPageToken(person, mobile);
    expect(
      await h.passwordPages?.changeSubmit(token, 'Initial.pass1', 'Changed.pass2', 'Changed.pass2'),
    ).toEqual({ page: 'done', kind: 'change' });
    expect(await binds(servers.ldap, dn, 'Changed.pass2')).toBe(true);
    expect(await binds(servers.ldap, dn, 'Initial.pass1')).toBe(false);
  });

  it('a second change inside the minimum password age is refused with when it may change; nothing changed', async () => {
    const h = harness();
    const { person, dn, mobile } = await employee('Initial.pass1');
    const first = await passwordPageToken(person, mobile);
    expect(
      await h.passwordPages?.changeSubmit(first, 'Initial.pass1', 'Second.pass2', 'Second.pass2'),
    ).toEqual({ page: 'done', kind: 'change' });
    // Its stricter policy also asks for the old password with the change (pwdSafeModify).
    await asAdmin(servers.ldap, (client) =>
      client.modify(
        dn,
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'pwdPolicySubentry', values: [LDAP_MIN_AGE_POLICY_DN] }),
        }),
      ),
    );
    const changedAt =
      generalizedTime((await attributeOf(servers.ldap, dn, 'pwdChangedTime'))[0] ?? null) ?? 0;
    const second = await passwordPageToken(person, null);
    const state = await h.passwordPages?.changeSubmit(second, 'Second.pass2', 'Third.pass3', 'Third.pass3');
    expect(state).toEqual({
      page: 'form',
      kind: 'change',
      errors: [directoryMessages.tooYoungUntil(changedAt + LDAP_MIN_AGE_SECONDS * 1000)],
    });
    expect(await binds(servers.ldap, dn, 'Second.pass2')).toBe(true);
    expect(await binds(servers.ldap, dn, 'Third.pass3')).toBe(false);
  });

  it('a wrong current password is refused by a bind, and the page says so', async () => {
    const h = harness();
    const { person, dn, mobile } = await employee('Initial.pass1');
    const token = await passwordPageToken(person, mobile);
    const state = await h.passwordPages?.changeSubmit(token, 'Wrong.pass9', 'Changed.pass2', 'Changed.pass2');
    expect(state).toMatchObject({ page: 'form', kind: 'change' });
    expect(await binds(servers.ldap, dn, 'Initial.pass1')).toBe(true);
  });

  it('a password in the directory history is refused with the catalog message naming the rule', async () => {
    const h = harness();
    const { person, dn, mobile } = await employee('Initial.pass1');
    const first = await passwordPageToken(person, mobile);
    expect(
      await h.passwordPages?.changeSubmit(first, 'Initial.pass1', 'Second.pass2', 'Second.pass2'),
    ).toEqual({
      page: 'done',
      kind: 'change',
    });
    const second = await passwordPageToken(person, null);
    const state = await h.passwordPages?.changeSubmit(
      second,
      'Second.pass2',
      'Initial.pass1',
      'Initial.pass1',
    );
    expect(state).toEqual({
      page: 'form',
      kind: 'change',
      errors: [directoryMessages.refusals['in-history']],
    });
    expect(await binds(servers.ldap, dn, 'Second.pass2')).toBe(true);
  });

  it('reset through the mailed link sets the password in the directory', async () => {
    const h = harness();
    const { person, dn, mobile } = await employee('Initial.pass1');
    h.scanner.add('password', 'Reset.pass3');
    await person.say('forgot password');
    await person.click(slack.buttons.continue);
    await person.submit({ 'Login email': `employee${users}@example.com` });
    expect(visibleText(person.latestDm().blocks)).toContain(
      flowText('reset.linkOnItsWay', flowTimings(harness().deps.config)),
    );
    const link = readLink(await servers.smtp.waitForMail(`employee${users}@example.com`));
    const token = new URL(link).pathname.split('/').at(-1) ?? '';
    expect(await h.passwordPages?.resetSubmitPassword(token, 'Reset.pass3', 'Reset.pass3')).toMatchObject({
      page: 'code',
    });
    expect(await h.passwordPages?.resetSubmitCode(token, await servers.sms.code(mobile))).toEqual({
      page: 'done',
      kind: 'reset',
    });
    expect(await binds(servers.ldap, dn, 'Reset.pass3')).toBe(true);
    expect(await binds(servers.ldap, dn, 'Initial.pass1')).toBe(false);
  });

  it('a reset the directory refuses asks for another password on the same link, without a second code', async () => {
    const h = harness();
    const { person, dn, mobile } = await employee('Initial.pass1');
    h.scanner.add('password', 'Initial.pass1');
    h.scanner.add('password', 'Another.pass8');
    await person.say('forgot password');
    await person.click(slack.buttons.continue);
    await person.submit({ 'Login email': `employee${users}@example.com` });
    const token =
      new URL(readLink(await servers.smtp.waitForMail(`employee${users}@example.com`))).pathname
        .split('/')
        .at(-1) ?? '';
    // The product keeps no history of directory passwords: only slapd's ppolicy knows this one.
    expect(await h.passwordPages?.resetSubmitPassword(token, 'Initial.pass1', 'Initial.pass1')).toMatchObject(
      {
        page: 'code',
      },
    );
    expect(await h.passwordPages?.resetSubmitCode(token, await servers.sms.code(mobile))).toEqual({
      page: 'form',
      kind: 'reset',
      errors: [directoryMessages.refusals['in-history']],
    });
    expect(await h.passwordPages?.resetOpen(token)).toEqual({
      page: 'form',
      kind: 'reset',
      errors: [directoryMessages.refusals['in-history']],
    });
    expect(await h.passwordPages?.resetSubmitPassword(token, 'Another.pass8', 'Another.pass8')).toEqual({
      page: 'done',
      kind: 'reset',
    });
    expect(await binds(servers.ldap, dn, 'Another.pass8')).toBe(true);
    expect(await binds(servers.ldap, dn, 'Initial.pass1')).toBe(false);
    expect(await h.passwordPages?.resetOpen(token)).toEqual({ page: 'invalid' });
  });

  it('change security mobile writes the mobile attribute', async () => {
    const h = harness();
    const { person, dn, mobile } = await employee('Initial.pass1');
    await person.say('change my security mobile');
    await enterCode(person, await servers.sms.code(mobile));
    await person.click(slack.buttons.enterValue);
    await person.submit({ 'New security mobile': '+86 139 0013 9101' });
    await enterCode(person, await servers.sms.code('+8613900139101'));
    expect(visibleText(person.dmMessages()[0]?.blocks)).toContain(flows['change.saved']);
    expect(await attributeOf(servers.ldap, dn, 'mobile')).toEqual(['+8613900139101']);
    expect(
      (await h.application.stores.directory.getBySlackUser(h.fake.teamId, person.id))?.securityMobile,
    ).toBe('+8613900139101');
  });

  it('slapd stopped mid-flow: "temporarily unavailable", nothing changed, and it works once slapd is back', async () => {
    const h = harness();
    const { person, dn, mobile } = await employee('Initial.pass1');
    const token = await passwordPageToken(person, mobile);
    await servers.ldap.stop();
    try {
      const started = Date.now();
      const state = await h.passwordPages?.changeSubmit(
        token,
        'Initial.pass1',
        'Changed.pass4',
        'Changed.pass4',
      );
      expect(state).toEqual({ page: 'unavailable' });
      expect(Date.now() - started).toBeLessThan(3_000);
      await person.command('info');
      expect(visibleText(person.latestDm().blocks) + person.latestDm().text).toContain(
        common.temporarilyUnavailable,
      );
    } finally {
      await servers.ldap.start();
    }
    expect(await binds(servers.ldap, dn, 'Initial.pass1')).toBe(true);
    const state = await h.passwordPages?.changeSubmit(
      token,
      'Initial.pass1',
      'Changed.pass4',
      'Changed.pass4',
    );
    expect(state).toEqual({ page: 'done', kind: 'change' });
    expect(await binds(servers.ldap, dn, 'Changed.pass4')).toBe(true);
  });

  it('a lockout after 5 bad binds anywhere shows in the summary and lookup; support unlock clears it', async () => {
    const h = harness();
    const { person, dn } = await employee('Initial.pass1');
    for (let i = 0; i < 5; i++) expect(await binds(servers.ldap, dn, `Wrong.guess${i}`)).toBe(false);
    // slapd may record the fifth failure a moment after answering it (one clean-clone CI run saw the right password still bind).
    await vi.waitFor(
      async () => expect(await attributeOf(servers.ldap, dn, 'pwdAccountLockedTime')).toHaveLength(1),
      {
        timeout: 5_000,
        interval: 50,
      },
    );
    // Locked: even the right password no longer binds.
    expect(await binds(servers.ldap, dn, 'Initial.pass1')).toBe(false);

    await person.openHome();
    expect(visibleText(person.home().view.blocks)).toContain(directoryMessages.summary.label);
    const agent = h.workspace.person({ id: AGENT });
    await agent.mention('C0GENERAL', `lookup <@${person.id}>`);
    const lookup = h.fake.messagesIn('C0GENERAL').at(-1);
    expect(visibleText(lookup?.blocks, lookup?.text)).toContain(directoryMessages.support.label);

    await agent.mention('C0GENERAL', `unlock <@${person.id}>`);
    expect(person.latestDm().text).toBe(support.unlock.userNotice);
    expect(await attributeOf(servers.ldap, dn, 'pwdAccountLockedTime')).toEqual([]);
    expect(await binds(servers.ldap, dn, 'Initial.pass1')).toBe(true);
  });

  it('locked-out user unlocks after step-up: 5 bad binds, the Home button, an SMS code, then the password binds', async () => {
    const h = harness();
    const { person, dn, mobile } = await employee('Initial.pass1');
    for (let i = 0; i < 5; i++) expect(await binds(servers.ldap, dn, `Wrong.guess${i}`)).toBe(false);
    expect(await binds(servers.ldap, dn, 'Initial.pass1')).toBe(false);

    await person.openHome();
    await person.click(slack.flowTitles.unlockAccount, person.home());
    await enterCode(person, await servers.sms.code(mobile));
    const shown = () => person.dmMessages().map((message) => visibleText(message.blocks, message.text));
    expect(shown().some((text) => text.includes(flows['unlock.unlocked']))).toBe(true);
    expect(await attributeOf(servers.ldap, dn, 'pwdAccountLockedTime')).toEqual([]);
    expect(await binds(servers.ldap, dn, 'Initial.pass1')).toBe(true);
    expect(person.dmMessages().some((message) => message.text === slack.notices.accountUnlocked)).toBe(true);
    const audit = await h.application.stores.audit.recent(20);
    expect(audit.some((entry) => entry.action === 'account.unlock' && entry.outcome === 'success')).toBe(
      true,
    );

    // Not locked any more: the same words say there is nothing to unlock, and nothing is sent.
    await person.say('unlock my account');
    expect(shown().some((text) => text.includes(flows['unlock.notLocked']))).toBe(true);
  });

  it('a password changed elsewhere in the directory revokes the reset link already mailed', async () => {
    const h = harness();
    const { person, dn } = await employee('Initial.pass1');
    await person.say('forgot password');
    await person.click(slack.buttons.continue);
    await person.submit({ 'Login email': `employee${users}@example.com` });
    const token = new URL(readLink(await servers.smtp.waitForMail(`employee${users}@example.com`))).pathname
      .split('/')
      .at(-1);
    await changeElsewhere(dn, 'Initial.pass1', 'Elsewhere.pass5');
    expect(await h.passwordPages?.resetSubmitPassword(token ?? '', 'Reset.pass6', 'Reset.pass6')).toEqual({
      page: 'invalid',
    });
    expect(await binds(servers.ldap, dn, 'Elsewhere.pass5')).toBe(true);
  });

  it('a code sent before the password was changed elsewhere in the directory no longer verifies', async () => {
    const { person, dn, mobile } = await employee('Initial.pass1');
    await person.say('change my security mobile');
    const code = await servers.sms.code(mobile);
    await changeElsewhere(dn, 'Initial.pass1', 'Elsewhere.pass9');
    await enterCode(person, code);
    const text = visibleText(person.latestDm().blocks);
    expect(text).toContain(flows['code.noLiveCode']);
    expect(text).not.toContain(slack.buttons.enterValue);
    expect(await attributeOf(servers.ldap, dn, 'mobile')).toEqual([mobile]);
  });

  it('the owner, past step-up, hears that the directory locked the account; nothing changes', async () => {
    const h = harness();
    const { person, dn, mobile } = await employee('Initial.pass1');
    for (let i = 0; i < 5; i++) await binds(servers.ldap, dn, `Wrong.guess${i}`);
    const token = await passwordPageToken(person, mobile);
    const state = await h.passwordPages?.changeSubmit(
      token,
      'Initial.pass1',
      'Changed.pass7',
      'Changed.pass7',
    );
    expect(state).toEqual({ page: 'form', kind: 'change', errors: [directoryMessages.lockedOut] });
    expect(await attributeOf(servers.ldap, dn, 'pwdAccountLockedTime')).toHaveLength(1);
  });

  it("logged no password of any of these flows, nor the service account's, at debug level", () => {
    const logged = logs.lines.join('');
    expect(logged.length).toBeGreaterThan(0);
    const passwords = [
      'Initial.pass1',
      'Changed.pass2',
      'Second.pass2',
      'Third.pass3',
      'Reset.pass3',
      'Another.pass8',
      'Wrong.pass9',
      servers.ldap.servicePassword,
    ];
    expect(passwords.filter((password) => logged.includes(password))).toEqual([]);
  });
});
