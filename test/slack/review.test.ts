import { afterAll, describe, expect, it } from 'vitest';
import { slack as messages } from '../../src/messages/slack.js';
import { review } from '../../src/messages/review.js';
import { hasButton, visibleText } from '../support/slack/blocks.js';
import { REVIEW_CHANNEL, useSlackHarness, type SlackHarness } from '../support/slack/harness.js';
import { SmsCapture } from '../support/sms-capture.js';
import { SmtpCapture } from '../support/smtp-capture.js';

const REVIEWER = 'U0REVIEWER';
/** A reviewer whose Slack user is linked to an applicant's account in one test. */
const SECOND_REVIEWER = 'U0REVIEWERB';

let smtp: SmtpCapture;
let sms: SmsCapture;
const harness = useSlackHarness(async () => {
  [smtp, sms] = await Promise.all([SmtpCapture.start(), SmsCapture.start()]);
  return {
    env: {
      SMTP_URL: smtp.url,
      SMS_WEBHOOK_URL: sms.url,
      SMS_WEBHOOK_SECRET: sms.secret,
      REVIEWER_USER_IDS: `${REVIEWER},${SECOND_REVIEWER}`,
    },
  };
});
afterAll(async () => {
  await Promise.all([smtp.close(), sms.close()]);
});

let people = 0;
/** A linked person whose identity submission waits for review; returns its card. */
async function pendingSubmission(h: SlackHarness, documentNumber: string) {
  people += 1;
  const id = `U0APPLICANT${people}`;
  const email = `applicant${people}@example.com`;
  const mobile = `+861380013${String(5000 + people)}`;
  const account = await h.application.stores.directory.create({
    loginEmail: email,
    accountName: `Applicant ${people}`,
    securityMobile: mobile,
  });
  await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, id);
  const person = h.workspace.person({ id, email });
  h.scanner.add('document', documentNumber);
  const owner = `slack:${h.fake.teamId}:${id}`;
  const started = await h.engine.start(owner, 'identityVerification', {});
  if (started.status !== 'active') throw new Error(`identity flow did not start: ${started.status}`);
  await h.engine.send(owner, started.flowId, { type: 'CHOOSE_SUBJECT', subject: 'individual' });
  await h.engine.send(owner, started.flowId, { type: 'ACKNOWLEDGE_WARNINGS' });
  const submitted = await h.engine.send(owner, started.flowId, {
    type: 'SUBMIT_IDENTITY',
    details: {
      subject: 'individual',
      documentType: 'passport',
      fullLegalName: `Applicant ${people}`,
      documentNumber,
      issuingRegion: 'CN',
    },
  });
  expect(
    submitted.status === 'active' ? submitted.view?.meta.view : submitted.status,
    JSON.stringify(submitted.status === 'active' ? submitted.view?.context : submitted),
  ).toBe('identityPending');
  const card = h.fake
    .messagesIn(REVIEW_CHANNEL)
    .find((message) => message.text === review.card.fallback(account.accountId));
  if (!card) throw new Error('no review card was posted');
  // The fake updates messages in place; a late second click still carries the card as first posted.
  return {
    person,
    account,
    email,
    mobile,
    owner,
    flowId: started.flowId,
    card: { ...card, blocks: structuredClone(card.blocks) },
  };
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

describe('identity review in the review channel', () => {
  it('posts a card with the document number masked and Approve / Reject / View document', async () => {
    const h = harness();
    const { card, account } = await pendingSubmission(h, 'E12345678');
    const text = visibleText(card.blocks, card.text);
    expect(text).toContain('E1****78');
    expect(text).toContain(account.accountId);
    expect(hasButton(card.blocks, review.card.approve)).toBe(true);
    expect(hasButton(card.blocks, review.card.reject)).toBe(true);
    expect(hasButton(card.blocks, review.card.viewDocument)).toBe(true);
    const messages = h.fake.calls.filter((call) => call.method.startsWith('chat.'));
    expect(JSON.stringify(messages)).not.toContain('E12345678');
  });

  it('shows the clear number to the reviewer who pressed View document, in a modal, and audits it', async () => {
    const h = harness();
    const { card, account } = await pendingSubmission(h, 'E82345678');
    const reviewer = h.workspace.person({ id: REVIEWER });
    await reviewer.click(review.card.viewDocument, card);

    expect(visibleText(reviewer.modal().view.blocks as unknown[])).toContain('E82345678');
    const opened = h.fake.callsOf('views.open').at(-1);
    expect(opened?.args.trigger_id).toBeDefined();
    expect(h.fake.messagesIn(REVIEW_CHANNEL).some((m) => JSON.stringify(m).includes('E82345678'))).toBe(
      false,
    );
    const audited = (await h.application.stores.audit.recent(50)).find(
      (event) => event.action === 'review.document-view' && event.accountId === account.accountId,
    );
    expect(audited).toMatchObject({ outcome: 'success', actor: `slack:${h.fake.teamId}:${REVIEWER}` });
    expect(JSON.stringify(audited)).not.toContain('E82345678');
    h.fake.closeView(reviewer.modal().id);
  });

  it('refuses View document to a non-reviewer with an ephemeral message and no modal', async () => {
    const h = harness();
    const { card, account } = await pendingSubmission(h, 'E92345678');
    const bystander = h.workspace.person({ id: 'U0PEEKER' });
    await bystander.click(review.card.viewDocument, card);
    expect(bystander.hasModal()).toBe(false);
    expect(h.fake.messagesIn(REVIEW_CHANNEL).at(-1)).toMatchObject({
      ephemeralTo: 'U0PEEKER',
      text: review.refusals.notReviewerView,
    });
    const refused = (await h.application.stores.audit.recent(50)).find(
      (event) => event.action === 'review.document-view' && event.accountId === account.accountId,
    );
    expect(refused?.outcome).toBe('refused');
  });

  it("refuses a reviewer their own account's submission, though filed by another Slack user of it", async () => {
    const h = harness();
    const { card, account, owner, flowId } = await pendingSubmission(h, 'E02345679');
    // The reviewer's Slack identity is linked to the applicant's account too.
    expect(
      await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, SECOND_REVIEWER),
    ).toBe('linked');
    const insider = h.workspace.person({ id: SECOND_REVIEWER });
    await insider.click(review.card.viewDocument, card);
    expect(insider.hasModal()).toBe(false);
    await insider.click(review.card.reject, card);
    expect(insider.hasModal()).toBe(false);
    await insider.click(review.card.approve, card);

    const answers = h.fake
      .messagesIn(REVIEW_CHANNEL)
      .filter((message) => message.ephemeralTo === SECOND_REVIEWER)
      .map((message) => message.text);
    expect(answers).toEqual([
      review.refusals.ownAccount,
      review.refusals.ownAccount,
      review.refusals.ownAccount,
    ]);
    expect((await h.application.stores.directory.getById(account.accountId))?.verification.status).toBe(
      'pending',
    );
    expect(hasButton(h.fake.message(REVIEW_CHANNEL, card.ts)?.blocks, review.card.approve)).toBe(true);

    // The engine refuses it too, whatever the Slack layer let through.
    await h.engine.send(owner, flowId, { type: 'REVIEW_APPROVE', reviewerId: SECOND_REVIEWER });
    expect((await h.application.stores.directory.getById(account.accountId))?.verification.status).toBe(
      'pending',
    );
    const refusals = (await h.application.stores.audit.recent(50)).filter(
      (event) => event.outcome === 'refused' && event.accountId === account.accountId,
    );
    expect(refusals.map((event) => event.action)).toEqual(
      expect.arrayContaining(['review.document-view', 'review.decide']),
    );
  });

  it('refuses a non-reviewer with an ephemeral message and changes nothing', async () => {
    const h = harness();
    const { card, account } = await pendingSubmission(h, 'E22345678');
    const bystander = h.workspace.person({ id: 'U0BYSTANDER' });
    await bystander.click(review.card.approve, card);
    await bystander.click(review.card.reject, card);

    const refusals = h.fake
      .messagesIn(REVIEW_CHANNEL)
      .filter((message) => message.ephemeralTo === 'U0BYSTANDER');
    expect(refusals.map((message) => message.text)).toEqual([
      review.refusals.notReviewer,
      review.refusals.notReviewer,
    ]);
    expect(bystander.hasModal()).toBe(false);
    expect((await h.application.stores.directory.getById(account.accountId))?.verification.status).toBe(
      'pending',
    );
    expect(hasButton(h.fake.message(REVIEW_CHANNEL, card.ts)?.blocks, review.card.approve)).toBe(true);
  });

  it('approves: the card updates in place, the person hears by DM and email, a second click changes nothing', async () => {
    const h = harness();
    const { card, account, person, email } = await pendingSubmission(h, 'E32345678');
    const reviewer = h.workspace.person({ id: REVIEWER });
    await reviewer.click(review.card.approve, card);

    const updated = h.fake.message(REVIEW_CHANNEL, card.ts);
    expect(hasButton(updated?.blocks, review.card.approve)).toBe(false);
    const cardText = visibleText(updated?.blocks);
    expect(cardText).toContain(`<@${REVIEWER}>`);
    expect(cardText).not.toContain('E32345678');
    expect((await h.application.stores.directory.getById(account.accountId))?.verification.status).toBe(
      'verified',
    );
    expect(person.dmMessages().length).toBeGreaterThan(0);
    await smtp.waitForMail(email);

    await reviewer.click(review.card.approve, card);
    expect(h.fake.messagesIn(REVIEW_CHANNEL).at(-1)?.text).toBe(review.refusals.alreadyDecided);
    expect(smtp.mailsTo(email)).toHaveLength(1);
  });

  it('texts the decision to the security mobile', async () => {
    const h = harness();
    const { card, mobile } = await pendingSubmission(h, 'E72345678');
    await h.workspace.person({ id: REVIEWER }).click(review.card.approve, card);
    await waitFor(() => sms.messages().find((message) => message.to === mobile), `an SMS to ${mobile}`);
  });

  it('keeps the reject modal open with a field error until a reason is given', async () => {
    const h = harness();
    const { card, account } = await pendingSubmission(h, 'E62345678');
    const reviewer = h.workspace.person({ id: REVIEWER });
    await reviewer.click(review.card.reject, card);

    const empty = await reviewer.submit({ [review.modal.reasonLabel]: '   ' });
    expect(empty.json?.response_action).toBe('errors');
    expect(empty.json?.errors).toEqual({ review_reason: review.modal.reasonRequired });
    expect(reviewer.hasModal()).toBe(true);
    expect((await h.application.stores.directory.getById(account.accountId))?.verification.status).toBe(
      'pending',
    );
    // The reviewer closes it; Slack tells the app nothing (no notify_on_close).
    h.fake.closeView(reviewer.modal().id);
  });

  it('rejects with the reason from the modal, and the person hears the reason', async () => {
    const h = harness();
    const { card, account, person, email, mobile } = await pendingSubmission(h, 'E42345678');
    const reviewer = h.workspace.person({ id: REVIEWER });
    await reviewer.click(review.card.reject, card);
    expect(reviewer.modal().view.callback_id).toBeDefined();

    const reason = 'The photo page is unreadable; please upload a sharper scan.';
    await reviewer.submit({ [review.modal.reasonLabel]: reason });
    expect(reviewer.hasModal()).toBe(false);

    const stored = await h.application.stores.directory.getById(account.accountId);
    expect(stored?.verification).toMatchObject({ status: 'rejected', reason });
    const cardText = visibleText(h.fake.message(REVIEW_CHANNEL, card.ts)?.blocks);
    expect(cardText).toContain(reason);
    expect(cardText).toContain(`<@${REVIEWER}>`);
    expect(
      person.dmMessages().some((message) => visibleText(message.blocks, message.text).includes(reason)),
    ).toBe(true);
    expect((await smtp.waitForMail(email)).text).toContain(reason);
    await waitFor(() => sms.messages().find((message) => message.to === mobile), `an SMS to ${mobile}`);
  });

  it('reminds the channel in the card thread when a review is overdue', async () => {
    const h = harness();
    const { card, account } = await pendingSubmission(h, 'E52345678');
    const slack = h.deps.slack;
    const channel = h.application.slackParts?.reviewChannel;
    if (!channel) throw new Error('the application built no Slack review channel');
    const submissionId = (await h.application.stores.directory.getById(account.accountId))?.verification
      .pendingSubmissionId;
    if (submissionId === undefined) throw new Error('no pending submission');
    await channel.remindOverdue({ submissionId, accountId: account.accountId });

    const reminder = h.fake.messagesIn(slack.reviewChannelId ?? '').at(-1);
    expect(reminder?.threadTs).toBe(card.ts);
    expect(reminder?.text).toBe(review.reminder.overdueFallback);
  });

  it('tells the reviewer when the reason form cannot be opened, and changes nothing', async () => {
    const h = harness();
    const { card, account } = await pendingSubmission(h, 'E93345670');
    const reviewer = h.workspace.person({ id: REVIEWER });
    const before = h.fake.messagesIn(REVIEW_CHANNEL).length;
    h.fake.failNext('views.open', 'internal_error');
    await reviewer.click(review.card.reject, card);

    const told = h.fake
      .messagesIn(REVIEW_CHANNEL)
      .slice(before)
      .filter((message) => message.ephemeralTo === REVIEWER)
      .map((message) => message.text);
    expect(told).toEqual([messages.modal.notOpened]);
    expect(reviewer.hasModal()).toBe(false);
    expect((await h.application.stores.directory.getById(account.accountId))?.verification.status).toBe(
      'pending',
    );
  });
});
