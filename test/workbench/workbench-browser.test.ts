import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { slack } from '../../src/messages/slack.js';
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

  afterEach(() => {
    expect(workbench.leaks(), 'secrets in payloads the app sent to Slack').toEqual([]);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await workbench?.close();
  });

  const openAs = async (person: string): Promise<Page> => {
    page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
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

  it('a guest is refused with the product’s message', async () => {
    await openAs('U0GUEST');
    await write(page, 'hi');
    await expect.poll(() => page.locator('.wb-message').last().textContent()).toContain(slack.refusals.guest);
  }, 30_000);
});
