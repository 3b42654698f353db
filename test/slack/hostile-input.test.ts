import { afterAll, describe, expect, it } from 'vitest';
import { review } from '../../src/messages/review.js';
import { slack } from '../../src/messages/slack.js';
import { validation } from '../../src/messages/validation.js';
import { REVIEW_CHANNEL, useSlackHarness, type SlackHarness } from '../support/slack/harness.js';
import { SmsCapture } from '../support/sms-capture.js';
import { SmtpCapture } from '../support/smtp-capture.js';

/** A reviewer's "reason" that Slack would render as a phishing link sent by the bot. */
const PHISHING = '<https://evil.example/login|Reset your password>';
const LIVE_MARKUP = /<(https?:|!|@U0VICTIM|#)/i;
const REVIEWER = 'U0HREVIEWER';

let smtp: SmtpCapture;
let sms: SmsCapture;
const harness = useSlackHarness(async () => {
  [smtp, sms] = await Promise.all([SmtpCapture.start(), SmsCapture.start()]);
  return {
    env: {
      SMTP_URL: smtp.url,
      SMS_WEBHOOK_URL: sms.url,
      SMS_WEBHOOK_SECRET: sms.secret,
      REVIEWER_USER_IDS: REVIEWER,
    },
  };
});
afterAll(async () => {
  await Promise.all([smtp.close(), sms.close()]);
});

/** Every string of a message or view that Slack reads as mrkdwn. */
function mrkdwn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) mrkdwn(item, out);
  else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (key === 'text' && typeof child === 'string' && record.type !== 'plain_text') out.push(child);
      else mrkdwn(child, out);
    }
  }
  return out;
}

function expectInert(value: unknown, shown: string): void {
  const texts = mrkdwn(value);
  for (const text of texts) expect(text).not.toMatch(LIVE_MARKUP);
  expect(texts.join('\n')).toContain(shown);
}

let people = 0;
async function linkedPerson(h: SlackHarness, accountName = `Person ${people + 1}`) {
  people += 1;
  const id = `U0HOSTILE${people}`;
  const email = `hostile${people}@example.com`;
  const mobile = `+861380014${String(5000 + people)}`;
  const account = await h.application.stores.directory.create({
    loginEmail: email,
    accountName,
    securityMobile: mobile,
  });
  await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, id);
  return { person: h.workspace.person({ id, email }), account, email, mobile };
}

/** Files an identity submission for the person through the engine; returns its review card. */
async function submitted(h: SlackHarness, linked: Awaited<ReturnType<typeof linkedPerson>>) {
  const owner = `slack:${h.fake.teamId}:${linked.person.id}`;
  const started = await h.engine.start(owner, 'identityVerification', {});
  if (started.status !== 'active') throw new Error(`identity flow did not start: ${started.status}`);
  await h.engine.send(owner, started.flowId, { type: 'CHOOSE_SUBJECT', subject: 'individual' });
  await h.engine.send(owner, started.flowId, { type: 'ACKNOWLEDGE_WARNINGS' });
  documents += 1;
  const documentNumber = `E7${String(1000000 + documents)}`;
  h.scanner.add('document', documentNumber);
  await h.engine.send(owner, started.flowId, {
    type: 'SUBMIT_IDENTITY',
    details: {
      subject: 'individual',
      documentType: 'passport',
      fullLegalName: linked.account.accountName,
      documentNumber,
      issuingRegion: 'CN',
    },
  });
  const card = h.fake
    .messagesIn(REVIEW_CHANNEL)
    .filter((message) => message.text === review.card.fallback(linked.account.accountId))
    .at(-1);
  if (!card) throw new Error('no review card was posted');
  return card;
}
let documents = 0;

async function rejectedWith(h: SlackHarness, reason: string) {
  const linked = await linkedPerson(h);
  const card = await submitted(h, linked);
  const reviewer = h.workspace.person({ id: REVIEWER });
  await reviewer.click(review.card.reject, card);
  await reviewer.submit({ [review.modal.reasonLabel]: reason });
  return linked;
}

async function waitFor<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('hostile text through the real endpoint', () => {
  it("shows a reviewer's link-shaped reject reason as inert text in the DM, /account info and Home", async () => {
    const h = harness();
    const { person, account } = await rejectedWith(h, PHISHING);
    expect((await h.application.stores.directory.getById(account.accountId))?.verification.reason).toBe(
      PHISHING,
    );
    const escaped = '&lt;https://evil.example/login|Reset your password&gt;';

    const notice = person.dmMessages().find((message) => message.text.includes('rejected'));
    expectInert(notice, escaped);

    await person.command('info');
    expectInert(person.latestDm(), escaped);

    await person.openHome();
    expectInert(person.home().view, escaped);
  });

  it('shows an account name saved as markup as inert text in /account info and Home', async () => {
    const h = harness();
    const { person } = await linkedPerson(h, `${PHISHING} <!channel>`);
    const escaped = '&lt;https://evil.example/login|Reset your password&gt; &lt;!channel&gt;';

    await person.command('info');
    expectInert(person.latestDm(), escaped);
    await person.openHome();
    expectInert(person.home().view, escaped);
  });

  it('echoes an unknown /account word inert, even with a backtick that would close a code span', async () => {
    const h = harness();
    const { person } = await linkedPerson(h);

    const channel = await person.command('<!channel>');
    expect(channel.status).toBe(200);
    expectInert(channel.json, '&lt;!channel&gt;');

    const backtick = await person.command('a`<http://evil.example|click>`');
    expect(backtick.status).toBe(200);
    expectInert(backtick.json, '&lt;http://evil.example|click&gt;');

    const mention = await person.command('<@U0VICTIM>');
    expectInert(mention.json, '&lt;@U0VICTIM&gt;');
  });

  it('refuses a forged 10,000-character reject reason with the modal’s 500-character limit', async () => {
    const h = harness();
    const linked = await linkedPerson(h);
    const card = await submitted(h, linked);
    const reviewer = h.workspace.person({ id: REVIEWER });
    await reviewer.click(review.card.reject, card);
    const answer = await reviewer.submit({ [review.modal.reasonLabel]: 'x'.repeat(10_000) });
    expect(answer.json?.response_action).toBe('errors');
    expect(answer.json?.errors).toEqual({ review_reason: validation.tooLong(500) });
    const account = await h.application.stores.directory.getById(linked.account.accountId);
    expect(account?.verification.status).toBe('pending');
    expect(sms.messages().filter((message) => message.text.includes('xxxxxxxxxx'))).toEqual([]);
    h.fake.closeView(reviewer.modal().id);
  });

  it('refuses an account name with an invisible joiner, as the message says', async () => {
    const h = harness();
    const { person, account } = await linkedPerson(h, 'Acme');
    await person.say('hi');
    await person.click(slack.menu.info);
    await person.click(slack.basicInfo.editName);
    await person.click(slack.basicInfo.openForm);
    const refused = await person.submit({ 'Account name': 'Ac\u200dme' });
    expect(refused.json?.errors).toEqual({ accountName: validation.controlCharacters });
    const lone = await person.submit({ 'Account name': 'Ac\ud800me' });
    expect(lone.json?.errors).toEqual({ accountName: validation.controlCharacters });
    expect((await h.application.stores.directory.getById(account.accountId))?.accountName).toBe('Acme');
    await person.submit({ 'Account name': 'Cafe\u0301 Team' });
    expect((await h.application.stores.directory.getById(account.accountId))?.accountName).toBe(
      'Caf\u00e9 Team',
    );
  });

  it('refuses a phone number with trailing junk, and names an extension', async () => {
    const h = harness();
    const { person, account } = await linkedPerson(h);
    await person.say('change my mobile');
    await person.click(slack.buttons.enterValue);
    for (const junk of ['+1 415 555 2671 <!channel>', '+1 415 555 2671\u0000']) {
      const answer = await person.submit({ 'New contact number': junk });
      expect(answer.json?.response_action, JSON.stringify(junk)).toBe('errors');
      expect(Object.values(answer.json?.errors as object)[0]).toMatch(/phone number|invisible/);
    }
    const extension = await person.submit({ 'New contact number': '+1 415 555 2671 ext. 123' });
    expect(extension.json?.errors).toEqual({ value: validation.phone.extension });
    expect((await h.application.stores.directory.getById(account.accountId))?.contactNumber).toBeNull();
    expect(sms.messages().filter((message) => message.to === '+14155552671')).toEqual([]);
  });

  it('tells a verified account why its changed submission was rejected, by DM, email and SMS', async () => {
    const h = harness();
    const linked = await linkedPerson(h);
    const reviewer = h.workspace.person({ id: REVIEWER });
    await reviewer.click(review.card.approve, await submitted(h, linked));
    expect(
      (await h.application.stores.directory.getById(linked.account.accountId))?.verification.status,
    ).toBe('verified');

    const reason = 'The new passport scan is cut off at the bottom; please upload all of it.';
    await reviewer.click(review.card.reject, await submitted(h, linked));
    await reviewer.submit({ [review.modal.reasonLabel]: reason });
    expect(
      (await h.application.stores.directory.getById(linked.account.accountId))?.verification.status,
    ).toBe('verified');
    expect(
      linked.person.dmMessages().some((message) => message.text.includes(reason)),
      'the DM carries the reason',
    ).toBe(true);
    await waitFor(
      () => smtp.mailsTo(linked.email).find((mail) => mail.text.includes(reason)),
      'an email with the reason',
    );
    await waitFor(
      () => sms.messages().find((message) => message.to === linked.mobile && message.text.includes(reason)),
      'an SMS with the reason',
    );
  });
});
