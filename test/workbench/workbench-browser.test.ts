import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../src/messages/notifications.js';
import { review } from '../../src/messages/review.js';
import { slack } from '../../src/messages/slack.js';
import { support } from '../../src/messages/support.js';
import { workbench as workbenchText } from '../../src/messages/workbench.js';
import { DEMO_PASSWORD } from '../../src/services/demo-accounts.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { inboxText, sixDigits, startWorkbenchApp, write, type RunningWorkbench } from './harness.js';

/**
 * The workbench in real Chromium against the whole application: every click goes from the
 * page to the real Bolt receiver, signed, and everything shown comes from the emulator the
 * app called. Each journey ends with the secret scan over every payload the app sent.
 */
describe('workbench in Chromium', () => {
  let workbench: RunningWorkbench;
  let browser: TestBrowser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    workbench = await startWorkbenchApp();
    browser = await launchBrowser();
    context = await browser.context();
  }, 30_000);

  /** Console errors include every CSP violation and every script failure. */
  const consoleErrors: string[] = [];

  afterEach(() => {
    expect(workbench.leaks(), 'secrets in payloads the app sent to Slack').toEqual([]);
    expect(consoleErrors.splice(0), 'console errors in the workbench page').toEqual([]);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await workbench?.close();
  });

  const openAs = async (person: string, viewport = { width: 1280, height: 800 }): Promise<Page> => {
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.setViewportSize(viewport);
    await page.goto(`${workbench.base}/#${person}`);
    await page.locator('#wb-person').waitFor();
    return page;
  };

  const flowState = () => page.locator('#wb-flow-state');

  it('Alice changes her contact number from the Home tab with the code from the Inbox', async () => {
    await openAs('U0ALICE');
    await page.getByRole('button', { name: 'Home', exact: true }).click();
    await page.getByRole('button', { name: slack.menu.mobile }).click();
    await expect.poll(() => flowState().textContent()).toContain('enterValue');

    await page.getByRole('button', { name: 'Messages', exact: true }).click();
    const flowMessage = page.locator('.wb-message').filter({ hasText: slack.flowTitles.changeContactMobile });
    await expect.poll(() => flowMessage.count()).toBe(1);
    const ts = await flowMessage.getAttribute('data-ts');
    await flowMessage.getByRole('button', { name: slack.buttons.enterValue }).click();
    await page
      .getByRole('dialog')
      .getByLabel(slack.modal.valueLabel.contactMobile, { exact: true })
      .fill('+86 139 0013 9077');
    await page.getByRole('dialog').getByRole('button', { name: slack.buttons.submit }).click();
    await expect.poll(() => flowState().textContent()).toContain('enterCode');

    const code = sixDigits(await inboxText(page, '+8613900139077', 'sms'));
    await flowMessage.getByRole('button', { name: slack.buttons.enterCode }).click();
    await page.getByRole('dialog').getByLabel(slack.modal.codeLabel, { exact: true }).fill(code);
    await page.getByRole('dialog').getByRole('button', { name: slack.buttons.submit }).click();
    await expect.poll(() => page.locator('.wb-finished').textContent()).toContain('changeContactMobile');

    // One message for the whole flow, updated in place.
    expect(await page.locator(`.wb-message[data-ts="${ts}"]`).count()).toBe(1);
    expect(
      await page.locator('.wb-message').filter({ hasText: slack.flowTitles.changeContactMobile }).count(),
    ).toBe(1);
    const account = await workbench.app.stores.directory.getByLoginEmail('alice@example.com');
    expect(account?.contactNumber).toBe('+8613900139077');
    await browser.screenshot(page, 'workbench-alice-contact-number');
  }, 60_000);

  it('Alice resets a forgotten password: /forgot, the mail in the Inbox, its link, the SMS code', async () => {
    await openAs('U0ALICE');
    const forgot = await context.newPage();
    await forgot.goto(`${workbench.base}/forgot`);
    await forgot.getByLabel('Login email').fill('alice@example.com');
    await forgot.getByRole('button', { name: 'Send reset link' }).click();
    await forgot.getByRole('status').waitFor();
    await forgot.close();

    const mail = page.locator('.wb-inbox-item.wb-mail[data-to="alice@example.com"]').first();
    await mail.waitFor();
    await mail.getByRole('button', { name: workbenchText.labels.openMail }).click();
    const sent = page.frameLocator('.wb-mail-frame iframe').first();
    await expect
      .poll(() => sent.locator('body').textContent())
      .toContain(notifications.email.resetLink.intro);
    expect(await page.locator('.wb-mail-frame iframe').first().getAttribute('sandbox')).not.toContain(
      'allow-scripts',
    );
    const opened = context.waitForEvent('page');
    await mail.locator('.wb-inbox-text a[href*="/reset/"]').click();
    const reset = await opened;
    await reset.getByLabel('New password', { exact: true }).fill('Fresh.start-27');
    await reset.getByLabel('New password again').fill('Fresh.start-27');
    await reset.getByRole('button', { name: 'Continue' }).click();
    await reset.getByLabel('6-digit code').waitFor();
    await page.bringToFront();
    const code = sixDigits(await inboxText(page, '+8613800135678', 'sms'));
    await reset.getByLabel('6-digit code').fill(code);
    await reset.getByRole('button', { name: 'Confirm' }).click();
    await expect(reset.getByRole('status').textContent()).resolves.toContain('Your new password is saved');
    await reset.close();

    const passwords = workbench.app.services.passwords;
    await expect(passwords.authenticate('alice@example.com', DEMO_PASSWORD)).resolves.toEqual({ ok: false });
    await expect(passwords.authenticate('alice@example.com', 'Fresh.start-27')).resolves.toMatchObject({
      ok: true,
    });
    await browser.screenshot(page, 'workbench-inbox-after-reset');
  }, 60_000);

  it('a support agent looks Alice up in the support channel', async () => {
    await openAs('U0AGENT');
    await page.getByRole('button', { name: '#support', exact: true }).click();
    await write(page, 'lookup @Alice');
    const answer = page.locator('.wb-message').filter({ hasText: support.lookup.loginEmail });
    await answer.first().waitFor();
    const shown = (await answer.first().textContent()) ?? '';
    expect(shown).toContain('Alice Chen');
    expect(shown).not.toContain('alice@example.com');
    await browser.screenshot(page, 'workbench-support-lookup');
  }, 30_000);

  it("the reviewer approves Carmen's submission; Carmen's DM and Inbox show the decision", async () => {
    await openAs('U0REVIEW');
    await page.getByRole('button', { name: '#identity-review', exact: true }).click();
    const card = page.locator('.wb-message').filter({ hasText: 'Ruiz Metalworks SL' });
    await card.getByRole('button', { name: review.card.approve }).click();
    await expect.poll(() => card.getByRole('button', { name: review.card.approve }).count()).toBe(0);
    await browser.screenshot(page, 'workbench-review-approved');

    await page.locator('#wb-person').selectOption('U0CARMEN');
    await expect
      .poll(() => page.locator('#wb-conversation').textContent())
      .toContain(slack.notices.identityApproved);
    await page
      .locator('.wb-inbox-item.wb-mail[data-to="carmen@example.com"]')
      .filter({ hasText: notifications.email.identityApproved.subject })
      .waitFor();
    const carmen = await workbench.app.stores.directory.getByLoginEmail('carmen@example.com');
    expect(carmen?.verification.status).toBe('verified');
  }, 30_000);

  it('is usable at 390×844 with the keyboard alone', async () => {
    await openAs('U0DEV', { width: 390, height: 844 });
    await page.locator('#wb-composer-input').waitFor();
    let focused = '';
    for (let presses = 0; presses < 20 && focused !== 'wb-composer-input'; presses += 1) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate<string>("document.activeElement?.id ?? ''");
    }
    expect(focused).toBe('wb-composer-input');
    await page.keyboard.type('/account help');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#wb-conversation').textContent()).toContain(slack.help.title);
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await browser.screenshot(page, 'workbench-mobile');
  }, 30_000);

  it('a guest is refused with the product’s message', async () => {
    await openAs('U0GUEST');
    await write(page, 'hi');
    await expect.poll(() => page.locator('.wb-message').last().textContent()).toContain(slack.refusals.guest);
  }, 30_000);
});
