import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { review } from '../../src/messages/review.js';
import { slack } from '../../src/messages/slack.js';
import { validation } from '../../src/messages/validation.js';
import { web } from '../../src/messages/web.js';
import { UNFILED_GRACE_MS } from '../../src/services/document-images/document-images.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import {
  executableFile,
  jpegFile,
  oversizedFile,
  pdfFile,
  pngBomb,
  passportForm,
  pngFile,
  truncatedPng,
} from '../support/document-files.js';
import { findButton, visibleText } from '../support/slack/blocks.js';
import { REVIEW_CHANNEL, useSlackHarness, type SlackHarness } from '../support/slack/harness.js';
import type { SlackPerson } from '../support/slack/workspace.js';

const REVIEWER = 'U0DOCREVIEWER';
const DAY = 24 * 60 * 60 * 1000;

const harness = useSlackHarness({
  env: { REVIEWER_USER_IDS: REVIEWER, PORT: '0', HOST: '127.0.0.1', DOCUMENT_RETENTION_DAYS: '30' },
});

let browser: TestBrowser;
let base: string;
beforeAll(async () => {
  browser = await launchBrowser();
  const listening = await harness().application.web.listen();
  base = `http://127.0.0.1:${listening.port}`;
});
afterAll(async () => {
  await browser.close();
});

let people = 0;
async function applicant(h: SlackHarness): Promise<{ person: SlackPerson; accountId: string }> {
  people += 1;
  const id = `U0DOC${people}`;
  const account = await h.application.stores.directory.create({
    loginEmail: `doc${people}@example.com`,
    accountName: `Applicant ${people}`,
  });
  await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, id);
  return { person: h.workspace.person({ id, email: account.loginEmail }), accountId: account.accountId };
}

/** Opens the identity form in Slack and submits it with the file attached. */
async function submitWithFile(
  h: SlackHarness,
  person: SlackPerson,
  file: { name: string; mimetype: string; bytes: Buffer },
  documentNumber: string,
) {
  h.scanner.add('document', documentNumber);
  await person.say('verify my identity');
  await person.click(slack.identity.individual);
  await person.click(slack.identity.acknowledge);
  await person.click(slack.identity.openForm);
  const upload = h.fake.uploadFile(person.id, file);
  const response = await person.submit(passportForm(documentNumber, upload.id));
  return { response, upload };
}

function storeDir(h: SlackHarness): string {
  const store = h.deps.config.documents.store;
  if (store.kind !== 'directory') throw new Error('the test expects the local directory store');
  return store.path;
}

/** Every file under the document store's directory (images and markers). */
function storedFiles(h: SlackHarness, accountId: string): { name: string; bytes: Buffer }[] {
  const dir = join(storeDir(h), 'images', accountId);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
}

async function pendingSubmission(h: SlackHarness, accountId: string) {
  const account = await h.application.stores.directory.getById(accountId);
  const id = account?.verification.pendingSubmissionId;
  if (!id) throw new Error('no pending submission');
  const submission = await h.application.stores.directory.getSubmission(id);
  if (!submission) throw new Error('submission missing');
  return submission;
}

function cardOf(h: SlackHarness, accountId: string) {
  const card = h.fake
    .messagesIn(REVIEW_CHANNEL)
    .find((message) => message.text === review.card.fallback(accountId));
  if (!card) throw new Error('no review card');
  return card;
}

describe('identity document images uploaded in Slack', () => {
  for (const [label, file, contentType] of [
    ['JPEG', { name: 'passport.jpg', mimetype: 'image/jpeg', bytes: jpegFile() }, 'image/jpeg'],
    ['PNG', { name: 'passport.png', mimetype: 'image/png', bytes: pngFile() }, 'image/png'],
    ['PDF', { name: 'passport.pdf', mimetype: 'application/pdf', bytes: pdfFile() }, 'application/pdf'],
  ] as const) {
    it(`stores a ${label} sealed (no plaintext bytes anywhere in the store) and deletes the Slack copy`, async () => {
      const h = harness();
      const { person, accountId } = await applicant(h);
      const { response, upload } = await submitWithFile(
        h,
        person,
        file,
        `E${label === 'PDF' ? 7 : label.length}1234567`,
      );
      expect(response.json?.response_action).not.toBe('errors');
      expect(person.hasModal()).toBe(false);

      const submission = await pendingSubmission(h, accountId);
      expect(submission.image).toMatchObject({ contentType, bytes: file.bytes.length });
      const stored = storedFiles(h, accountId);
      expect(stored.map((entry) => entry.name).sort()).toEqual([
        expect.stringMatching(/^[0-9a-f]{32}$/),
        expect.stringMatching(/^[0-9a-f]{32}\.filed$/),
      ]);
      const middle = Math.floor(file.bytes.length / 2);
      for (const window of [file.bytes.subarray(0, 16), file.bytes.subarray(middle, middle + 24)]) {
        for (const entry of stored) expect(entry.bytes.includes(window)).toBe(false);
      }
      expect(h.fake.file(upload.id)?.deleted).toBe(true);
      expect(h.fake.callsOf('files.download').at(-1)).toMatchObject({ ok: true, token: h.fake.botToken });
      expect(visibleText(cardOf(h, accountId).blocks)).toContain(
        review.card.imageAttached(review.card.imageTypes[contentType] ?? '', '1 KB').split(',')[0] ?? '',
      );
    });
  }

  for (const [label, file, error] of [
    [
      'a renamed executable',
      { name: 'passport.jpg', mimetype: 'image/jpeg', bytes: executableFile() },
      validation.identity.imageType,
    ],
    [
      'an 11 MB file',
      { name: 'scan.pdf', mimetype: 'application/pdf', bytes: oversizedFile() },
      validation.identity.imageTooLarge,
    ],
    [
      'a 20,000 × 20,000 PNG',
      { name: 'scan.png', mimetype: 'image/png', bytes: pngBomb() },
      validation.identity.imageDimensions,
    ],
    [
      'a truncated file',
      { name: 'scan.png', mimetype: 'image/png', bytes: truncatedPng() },
      validation.identity.imageTruncated,
    ],
  ] as const) {
    it(`refuses ${label} with a field error naming the problem, and stores nothing`, async () => {
      const h = harness();
      const { person, accountId } = await applicant(h);
      const { response, upload } = await submitWithFile(h, person, file, 'E55512345');
      expect(response.json).toEqual({ response_action: 'errors', errors: { documentImage: error } });
      expect(person.hasModal()).toBe(true);
      expect(storedFiles(h, accountId)).toEqual([]);
      expect((await h.application.stores.directory.getById(accountId))?.verification.status).toBe(
        'unverified',
      );
      expect(h.fake.file(upload.id)?.deleted).toBe(false);
      h.fake.closeView(person.modal().id);
    });
  }

  it('keeps the stored image when another field needs fixing, and files it with the corrected form', async () => {
    const h = harness();
    const { person, accountId } = await applicant(h);
    const { response, upload } = await submitWithFile(
      h,
      person,
      { name: 'id.png', mimetype: 'image/png', bytes: pngFile() },
      '!!',
    );
    expect(response.json?.response_action).toBe('errors');
    expect(h.fake.file(upload.id)?.deleted).toBe(true);
    await person.submit(passportForm('E44412345', upload.id));
    h.scanner.add('document', 'E44412345');
    expect((await pendingSubmission(h, accountId)).image?.contentType).toBe('image/png');
  });
});

describe('the business licence of an organization', () => {
  async function openOrganizationForm(person: SlackPerson) {
    await person.say('verify my identity');
    await person.click(slack.identity.organization);
    await person.click(slack.identity.acknowledge);
    await person.click(slack.identity.openForm);
  }

  it('refuses a bad licence file on the licence field, then files a good one with the submission', async () => {
    const h = harness();
    const { person, accountId } = await applicant(h);
    h.scanner.add('document', '91310000MA1FL0001X');
    await openOrganizationForm(person);
    const form = {
      'Company name': 'Example Ltd',
      'Business licence number': '91310000MA1FL0001X',
      'Registered country/region code': 'CN',
    };
    const bomb = h.fake.uploadFile(person.id, {
      name: 'licence.png',
      mimetype: 'image/png',
      bytes: pngBomb(),
    });
    const refused = await person.submit({ ...form, [slack.identity.licenceImage]: bomb.id });
    expect(refused.json).toEqual({
      response_action: 'errors',
      errors: { licenceImage: validation.identity.imageDimensions },
    });
    const good = h.fake.uploadFile(person.id, {
      name: 'licence.pdf',
      mimetype: 'application/pdf',
      bytes: pdfFile(),
    });
    await person.submit({ ...form, [slack.identity.licenceImage]: good.id });
    expect(person.hasModal()).toBe(false);
    const submission = await pendingSubmission(h, accountId);
    expect(submission).toMatchObject({
      documentType: 'business-licence',
      image: { contentType: 'application/pdf' },
    });
    expect(h.fake.file(good.id)?.deleted).toBe(true);
  });
});

describe('the reviewer sees the image through a one-time link', () => {
  it('opens in Chromium once, never cached, and a second open fails', async () => {
    const h = harness();
    const { person, accountId } = await applicant(h);
    await submitWithFile(
      h,
      person,
      { name: 'id.png', mimetype: 'image/png', bytes: pngFile(96, 64) },
      'E66612345',
    );
    const reviewer = h.workspace.person({ id: REVIEWER });
    await reviewer.click(review.card.viewDocument, cardOf(h, accountId));
    const link = findButton(reviewer.modal().view.blocks, review.document.openImage).url ?? '';
    expect(link).toMatch(/\/documents\/[A-Za-z0-9_-]{43}$/);
    h.fake.closeView(reviewer.modal().id);

    const address = `${base}${new URL(link).pathname}`;
    const context = await browser.context();
    const page = await context.newPage();
    const first = await page.goto(address);
    expect(first?.status()).toBe(200);
    const headers = first?.headers() ?? {};
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['content-type']).toBe('image/png');
    const size = await page.evaluate<number[] | null>(
      "(() => { const image = document.querySelector('img'); return image ? [image.naturalWidth, image.naturalHeight] : null; })()",
    );
    expect(size).toEqual([96, 64]);
    await browser.screenshot(page, 'identity-document-once');

    const second = await page.goto(address);
    expect(second?.status()).toBe(404);
    expect(await page.textContent('body')).toContain(web.documentLink.usedTitle);
    await context.close();

    const views = (await h.application.stores.audit.recent(100)).filter(
      (event) => event.accountId === accountId && event.action.startsWith('review.document'),
    );
    expect(views.map((event) => event.action).sort()).toEqual([
      'review.document-image-view',
      'review.document-view',
    ]);
    expect(views.every((event) => event.actor === `slack:${h.fake.teamId}:${REVIEWER}`)).toBe(true);
  });

  it('a HEAD request (a link preview) does not use the link up', async () => {
    const h = harness();
    const { person, accountId } = await applicant(h);
    await submitWithFile(
      h,
      person,
      { name: 'id.jpg', mimetype: 'image/jpeg', bytes: jpegFile() },
      'E67712345',
    );
    const reviewer = h.workspace.person({ id: REVIEWER });
    await reviewer.click(review.card.viewDocument, cardOf(h, accountId));
    const link = findButton(reviewer.modal().view.blocks, review.document.openImage).url ?? '';
    h.fake.closeView(reviewer.modal().id);
    const address = `${base}${new URL(link).pathname}`;
    expect((await fetch(address, { method: 'HEAD' })).status).toBe(204);
    const opened = await fetch(address);
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer()).equals(jpegFile())).toBe(true);
  });

  it('refuses a non-reviewer: no modal, no link', async () => {
    const h = harness();
    const { person, accountId } = await applicant(h);
    await submitWithFile(h, person, { name: 'id.png', mimetype: 'image/png', bytes: pngFile() }, 'E68812345');
    const bystander = h.workspace.person({ id: 'U0NOSY' });
    await bystander.click(review.card.viewDocument, cardOf(h, accountId));
    expect(bystander.hasModal()).toBe(false);
    expect(h.fake.messagesIn(REVIEW_CHANNEL).at(-1)?.text).toBe(review.refusals.notReviewerView);
  });
});

describe('retention (manual clock)', () => {
  it('deletes an approved submission’s image after DOCUMENT_RETENTION_DAYS, keeping the record of it', async () => {
    const h = harness();
    const { person, accountId } = await applicant(h);
    await submitWithFile(h, person, { name: 'id.png', mimetype: 'image/png', bytes: pngFile() }, 'E77712345');
    const submission = await pendingSubmission(h, accountId);
    await h.workspace.person({ id: REVIEWER }).click(review.card.approve, cardOf(h, accountId));
    expect((await h.application.stores.directory.getById(accountId))?.verification.status).toBe('verified');

    h.clock.advance(29 * DAY);
    await h.application.services.documentImages.sweep();
    expect(storedFiles(h, accountId)).toHaveLength(2);
    h.clock.advance(DAY);
    await h.application.services.documentImages.sweep();
    expect(storedFiles(h, accountId)).toEqual([]);

    const kept = await h.application.stores.directory.getSubmission(submission.id);
    expect(kept?.image?.digest).toMatch(/^[0-9a-f]{64}$/);
    const events = (await h.application.stores.audit.recent(200)).filter(
      (event) => event.accountId === accountId && event.action === 'identity.document-image',
    );
    expect(events.map((event) => event.detail?.event).sort()).toEqual(['deleted-retention', 'stored']);
    const stored = events.find((event) => event.detail?.event === 'stored');
    expect(stored?.detail?.digest?.replaceAll(':', '')).toBe(kept?.image?.digest);
  });

  it('deletes a rejected submission’s image as soon as the decision is announced', async () => {
    const h = harness();
    const { person, accountId } = await applicant(h);
    await submitWithFile(
      h,
      person,
      { name: 'id.pdf', mimetype: 'application/pdf', bytes: pdfFile() },
      'E78812345',
    );
    const reviewer = h.workspace.person({ id: REVIEWER });
    await reviewer.click(review.card.reject, cardOf(h, accountId));
    await reviewer.submit({ [review.modal.reasonLabel]: 'The scan is unreadable.' });
    expect((await h.application.stores.directory.getById(accountId))?.verification.status).toBe('rejected');
    expect(storedFiles(h, accountId)).toEqual([]);
  });

  it('deletes an upload that never became a submission after a day', async () => {
    const h = harness();
    const { person, accountId } = await applicant(h);
    await submitWithFile(h, person, { name: 'id.png', mimetype: 'image/png', bytes: pngFile() }, '!!');
    h.fake.closeView(person.modal().id);
    expect(storedFiles(h, accountId)).toHaveLength(1);
    h.clock.advance(UNFILED_GRACE_MS - 60_000);
    await h.application.services.documentImages.sweep();
    expect(storedFiles(h, accountId)).toHaveLength(1);
    h.clock.advance(120_000);
    await h.application.services.documentImages.sweep();
    expect(storedFiles(h, accountId)).toEqual([]);
  });
});

describe('when the document store fails', () => {
  it('answers the form in time with a field error and stores nothing', async () => {
    const h = harness();
    const { person, accountId } = await applicant(h);
    // A file where the account's image folder belongs: every write under it fails.
    const blocker = join(storeDir(h), 'images', accountId);
    mkdirSync(dirname(blocker), { recursive: true });
    writeFileSync(blocker, 'not a directory');
    const started = Date.now();
    const { response, upload } = await submitWithFile(
      h,
      person,
      { name: 'id.png', mimetype: 'image/png', bytes: pngFile() },
      'E99912345',
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: { documentImage: validation.identity.imageStoreUnavailable },
    });
    expect(readFileSync(blocker, 'utf8')).toBe('not a directory');
    expect(h.fake.file(upload.id)?.deleted).toBe(false);
    h.fake.closeView(person.modal().id);
  });
});
