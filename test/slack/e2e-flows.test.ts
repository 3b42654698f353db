import { describe, expect, it } from 'vitest';
import type { CreateAccountInput } from '../../src/domain/account.js';
import { flowText, flows, flowTimings } from '../../src/messages/flows.js';
import { slack } from '../../src/messages/slack.js';
import { NOT_ME_ACTION_ID } from '../../src/slack/action-ids.js';
import { buttons, findButton, hasButton, visibleText } from '../support/slack/blocks.js';
import { SUPPORT_CHANNEL, useSlackHarnessWithDeliveries } from '../support/slack/harness.js';
import { secretsInText } from '../support/slack/leak-scanner.js';
import { linkedPerson } from '../support/slack/people.js';
import type { SlackPerson } from '../support/slack/workspace.js';
import { readCode, readLink } from '../support/smtp-capture.js';

const { harness, deliveries } = useSlackHarnessWithDeliveries();

let scanning = false;
let users = 0;

/** An employee with an account linked to their Slack user; every code they receive is watched. */
async function employee(
  input: Partial<CreateAccountInput> = {},
): Promise<{ person: SlackPerson; accountId: string }> {
  const h = harness();
  if (!scanning) {
    scanning = true;
    h.scanner.addSource(() => [
      ...deliveries.sms.messages().flatMap((message) => secretsInText(message.text)),
      ...deliveries.smtp.messages.flatMap((mail) => secretsInText(mail.text)),
    ]);
  }
  users += 1;
  const id = `U0E${users}`;
  return linkedPerson(h, id, {
    loginEmail: `employee${users}@example.com`,
    accountName: `Employee ${users}`,
    ...input,
  });
}

async function mailCode(to: string, nth = 1): Promise<string> {
  return readCode(await deliveries.smtp.waitForMail(to, { nth }));
}

async function enterCode(person: SlackPerson, code: string) {
  await person.click(slack.buttons.enterCode);
  return person.submit({ Code: code });
}

function shows(person: SlackPerson): string {
  return visibleText(person.latestDm().blocks);
}

/** The flow's own message: the first DM of a person who started one flow. */
function flowShows(person: SlackPerson): string {
  return visibleText(person.dmMessages()[0]?.blocks);
}

describe('SPEC §3 flows driven only through Slack, SMS and mail', () => {
  it('3.4 change security mobile: step-up by SMS, code to the new number, old number told', async () => {
    const h = harness();
    const { person, accountId } = await employee({ securityMobile: '+8613800135678' });
    await person.say('change my security mobile');
    await enterCode(person, await deliveries.sms.code('+8613800135678'));
    expect(hasButton(person.latestDm().blocks, slack.buttons.enterValue)).toBe(true);
    await person.click(slack.buttons.enterValue);
    await person.submit({ 'New security mobile': '+86 139 0013 9001' });
    await enterCode(person, await deliveries.sms.code('+8613900139001'));
    expect(person.dmMessages()).toHaveLength(2);
    expect(flowShows(person)).toContain(flows['change.saved']);
    expect((await h.application.stores.directory.getById(accountId))?.securityMobile).toBe('+8613900139001');
    // One message for the flow, plus the change notice with "This wasn't me".
    const notice = person
      .dmMessages()
      .find((message) => message.text === slack.notices.securityMobileChanged);
    expect(buttons(notice?.blocks).map((button) => button.actionId)).toContain(NOT_ME_ACTION_ID);
  });

  it('3.1 step-up: a wrong code stays in the modal, "Use alternate verification" switches to email', async () => {
    const { person } = await employee({
      securityMobile: '+8613800135679',
      verificationEmail: 'alt1@example.com',
    });
    await person.say('change my verification email');
    const sent = await deliveries.sms.code('+8613800135679');
    const wrong = sent === '000000' ? '111111' : '000000';
    const refused = await enterCode(person, wrong);
    expect(refused.json?.response_action).toBe('errors');
    expect(person.hasModal()).toBe(true);
    await person.closeModal();
    await person.click(slack.buttons.useAlternate);
    await enterCode(person, await mailCode('alt1@example.com'));
    expect(hasButton(person.latestDm().blocks, slack.buttons.enterValue)).toBe(true);
  });

  it('3.6 change verification email: code to the new address, old address told', async () => {
    const h = harness();
    const { person, accountId } = await employee({
      securityMobile: '+8613800135680',
      verificationEmail: 'old.verify@example.com',
    });
    await person.say('change my verification email');
    await enterCode(person, await deliveries.sms.code('+8613800135680'));
    await person.click(slack.buttons.enterValue);
    await person.submit({ 'New verification email': 'new.verify@example.com' });
    await enterCode(person, await mailCode('new.verify@example.com'));
    expect(flowShows(person)).toContain(flows['change.saved']);
    expect((await h.application.stores.directory.getById(accountId))?.verificationEmail).toBe(
      'new.verify@example.com',
    );
    await deliveries.smtp.waitForMail('old.verify@example.com');
  });

  it('3.5 change contact email: saved unverified, then verified with the code', async () => {
    const h = harness();
    const { person, accountId } = await employee();
    await person.say('change my email');
    await person.click(slack.buttons.enterValue);
    await person.submit({ 'New contact email': 'billing5@example.com' });
    const unverified = await h.application.stores.directory.getById(accountId);
    expect(unverified?.contactEmail).toBe('billing5@example.com');
    expect(unverified?.contactEmailVerified).toBe(false);
    await enterCode(person, await mailCode('billing5@example.com'));
    expect((await h.application.stores.directory.getById(accountId))?.contactEmailVerified).toBe(true);
  });

  it('3.7 change login email: step-up, code to the new address, saved', async () => {
    const h = harness();
    const { person, accountId } = await employee({ securityMobile: '+8613800135681' });
    await person.say('change my login email');
    await enterCode(person, await deliveries.sms.code('+8613800135681'));
    await person.click(slack.buttons.enterValue);
    await person.submit({ 'New login email': 'renamed7@example.com' });
    await enterCode(person, await mailCode('renamed7@example.com'));
    expect(flowShows(person)).toContain(flows['change.saved']);
    expect((await h.application.stores.directory.getById(accountId))?.loginEmail).toBe(
      'renamed7@example.com',
    );
  });

  it('3.8 change password: after step-up the DM carries a single-use page button, never the link as text', async () => {
    const h = harness();
    const { person } = await employee({
      securityMobile: '+8613800135682',
      passwordHash: await h.application.services.credentials.hash('Old-pass-8!'),
    });
    await person.command('password');
    await enterCode(person, await deliveries.sms.code('+8613800135682'));
    const page = findButton(person.latestDm().blocks, slack.buttons.openPasswordPage);
    expect(page.url).toMatch(new RegExp(`^${h.deps.config.web.publicBaseUrl}/`));
    h.scanner.add('link', page.url ?? '');
    expect(shows(person)).not.toContain(page.url ?? '');
    // The button is a link; Slack still reports the click and gets an ack.
    expect((await person.click(slack.buttons.openPasswordPage)).status).toBe(200);

    // On the page (the web adapter calls the same service): the change lands, the DM says so.
    const token = new URL(page.url ?? '').pathname.split('/').at(-1) ?? '';
    h.scanner.add('token', token);
    h.scanner.add('password', 'Old-pass-8!');
    h.scanner.add('password', 'New-pass-8?');
    const state = await h.passwordPages?.changeSubmit(token, 'Old-pass-8!', 'New-pass-8?', 'New-pass-8?');
    expect(state).toEqual({ page: 'done', kind: 'change' });
    await h.runtime.idle();
    const notice = person.dmMessages().find((message) => message.text === slack.notices.passwordChanged);
    expect(buttons(notice?.blocks).map((button) => button.actionId)).toContain(NOT_ME_ACTION_ID);
    // The flow's own message no longer offers the used page: it says how it ended.
    expect(flowShows(person)).toContain(flows['password.changed']);
    expect(buttons(person.dmMessages()[0]?.blocks)).toEqual([]);
  });

  it('3.8 change password: a new link after the link expired and the window closed sends a new step-up code', async () => {
    const h = harness();
    const mobile = '+8613800135684';
    const { person } = await employee({ securityMobile: mobile });
    await person.command('password');
    await enterCode(person, await deliveries.sms.code(mobile));
    expect(hasButton(person.latestDm().blocks, slack.buttons.openPasswordPage)).toBe(true);

    const { links, flows: flowConfig } = h.deps.config;
    h.clock.advance(Math.max(links.passwordChangeTtlMs, flowConfig.privilegedWindowMs) + 1);
    // Coming back to the flow lets the time pass: the link has expired.
    await person.command('password');
    await person.click(slack.buttons.resume);
    expect(shows(person)).toContain(slack.flowMessage.passwordLinkExpired);
    await person.click(slack.buttons.newLink);
    // Step-up runs again: its code is new, not the first run's send taken for this one.
    const second = await deliveries.sms.code(mobile, 2);
    expect(deliveries.sms.messages().filter((message) => message.to === mobile)).toHaveLength(2);
    await enterCode(person, second);
    expect(hasButton(person.latestDm().blocks, slack.buttons.openPasswordPage)).toBe(true);
  });

  it('3.9 reset a forgotten password from Slack: same answer, link by email', async () => {
    const { person } = await employee({
      loginEmail: 'forgetful@example.com',
      securityMobile: '+8613800135690',
    });
    await person.say('forgot password');
    await person.click(slack.buttons.continue);
    await person.submit({ 'Login email': 'forgetful@example.com' });
    expect(shows(person)).toContain(flowText('reset.linkOnItsWay', flowTimings(harness().deps.config)));
    const link = readLink(await deliveries.smtp.waitForMail('forgetful@example.com'));
    expect(link).toContain('/reset');

    // The page (web adapter) finishes it: new password, code to the security mobile, done.
    const h = harness();
    const token = new URL(link).pathname.split('/').at(-1) ?? '';
    h.scanner.add('password', 'Fresh-pass-9!');
    const pages = h.passwordPages;
    expect(await pages?.resetSubmitPassword(token, 'Fresh-pass-9!', 'Fresh-pass-9!')).toMatchObject({
      page: 'code',
    });
    const state = await pages?.resetSubmitCode(token, await deliveries.sms.code('+8613800135690'));
    expect(state).toEqual({ page: 'done', kind: 'reset' });
    await h.runtime.idle();
    const notice = person.dmMessages().find((message) => message.text === slack.notices.passwordReset);
    expect(buttons(notice?.blocks).map((button) => button.actionId)).toContain(NOT_ME_ACTION_ID);
  });

  it('3.2 account information: the Home tab shows the account masked with a button per flow', async () => {
    const { person } = await employee({ contactNumber: '+8613800135683', securityMobile: '+8613800135684' });
    await person.openHome();
    const home = visibleText(person.home().view.blocks);
    expect(home).toContain(slack.home.title);
    expect(home).not.toContain('+8613800135683');
    expect(home).toContain('5683');
    expect(hasButton(person.home().view.blocks, slack.menu.mobile)).toBe(true);
    await person.command('info');
    expect(person.latestDm().text).toBe(slack.home.title);
  });

  it('3.11 first contact links the Slack user by profile email with a code', async () => {
    const h = harness();
    const account = await h.application.stores.directory.create({
      loginEmail: 'newcomer@example.com',
      accountName: 'New',
    });
    const person = h.workspace.person({ id: 'U0NEWCOMER', email: 'newcomer@example.com' });
    await person.say('hello');
    await enterCode(person, await mailCode('newcomer@example.com'));
    expect(shows(person)).toContain(flows['link.linked']);
    const linked = await h.application.stores.directory.getBySlackUser(h.fake.teamId, 'U0NEWCOMER');
    expect(linked?.accountId).toBe(account.accountId);
  });

  it('one flow at a time: starting another offers Resume or Cancel, and Resume continues in place', async () => {
    const { person } = await employee();
    await person.say('change my mobile');
    const first = person.latestDm();
    await person.say('change my email');
    expect(person.latestDm().text).toContain(slack.flowTitles.changeContactMobile);
    await person.click(slack.buttons.resume);
    expect(hasButton(person.latestDm().blocks, slack.buttons.enterValue)).toBe(true);
    await person.click(slack.buttons.cancel, first);
    expect(visibleText(first.blocks)).toContain(flows['flow.cancelled']);
  });

  it('a double click on Resend changes nothing twice', async () => {
    const { person } = await employee();
    await person.say('change my mobile');
    await person.click(slack.buttons.enterValue);
    await person.submit({ 'New contact number': '+86 139 0013 9010' });
    await deliveries.sms.code('+8613900139010');
    const message = person.latestDm();
    await Promise.all([
      person.click(slack.buttons.resend, message),
      person.click(slack.buttons.resend, message),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(deliveries.sms.messages().filter((text) => text.to === '+8613900139010')).toHaveLength(1);
    expect(shows(person)).toContain(flows['code.resendTooSoon']);
  });

  it('3.10 identity verification: subject, warnings, form in a modal, pending with the expected date', async () => {
    const h = harness();
    const { person, accountId } = await employee();
    h.scanner.add('document', 'E23456789');
    await person.say('verify my identity');
    await person.click(slack.identity.individual);
    expect(shows(person)).toContain(slack.identity.warningsTitle);
    await person.click(slack.identity.acknowledge);
    await person.click(slack.identity.openForm);
    const refused = await person.submit({
      'Document type': slack.identity.documentTypes.passport,
      'Full legal name': 'Employee Example',
      'Document number': 'E23456789',
      'Issuing country/region code': 'ZZ',
    });
    expect(refused.json?.response_action).toBe('errors');
    await person.submit({
      'Document type': slack.identity.documentTypes.passport,
      'Full legal name': 'Employee Example',
      'Document number': 'E23456789',
      'Issuing country/region code': 'CN',
    });
    expect(person.hasModal()).toBe(false);
    expect(shows(person)).toMatch(/Expect a decision by \d{4}-\d{2}-\d{2}/);
    const account = await h.application.stores.directory.getById(accountId);
    expect(account?.verification.status).toBe('pending');
  });

  it('3.2 edit basic information: a section form in a modal, field errors kept in it, saved', async () => {
    const h = harness();
    const { person, accountId } = await employee();
    await person.say('hi');
    await person.click(slack.menu.info);
    await person.click(slack.basicInfo.editAddress);
    await person.click(slack.basicInfo.openForm);
    const address = {
      'Full name': 'Employee Example',
      'Company name': 'Example Ltd',
      'Country/region code': 'CN',
      'State or province': 'Zhejiang',
      City: 'Hangzhou',
      'Registered address': '969 Wenyi West Road',
    };
    const refused = await person.submit({ ...address, 'Postal code': 'not a code' });
    expect(refused.json?.response_action).toBe('errors');
    expect(Object.keys((refused.json?.errors ?? {}) as object)).toEqual(['postalCode']);
    await person.submit({ ...address, 'Postal code': '311121' });
    expect(person.hasModal()).toBe(false);
    expect(shows(person)).toContain(flows['basicInfo.saved']);
    await person.click(slack.basicInfo.editIndustry);
    await person.click(slack.basicInfo.openForm);
    await person.submit({ Industry: 'Finance and insurance' });
    const saved = await h.application.stores.directory.getById(accountId);
    expect(saved?.contactAddress?.postalCode).toBe('311121');
    expect(saved?.industry).toBe('finance');
    await person.click(slack.basicInfo.done);
    expect(shows(person)).toContain(flows['flow.completed']);
  });

  it('3.11 no matching account: explains, and on request tells the support channel', async () => {
    const h = harness();
    const person = h.workspace.person({ id: 'U0STRAY', email: 'nobody-here@example.com' });
    await person.say('hi');
    expect(shows(person)).toContain(slack.flowMessage.noAccountMatch);
    await person.click(slack.buttons.notifySupport);
    expect(shows(person)).toContain(flows['link.supportNotified']);
    const posted = h.fake.messagesIn(SUPPORT_CHANNEL).map((message) => message.text);
    expect(posted).toEqual([slack.notices.linkNoMatch('U0STRAY')]);
  });
});
