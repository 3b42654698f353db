import type { BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/web/security-headers.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { CHANGE_TOKEN, GOOD_TOKEN } from './fake-pages.js';
import { startWebHarness, type WebHarness } from './harness.js';
import { childMachines, flowMachines } from '../../machines/index.js';

function expectHeaders(response: Response | null): void {
  if (!response) throw new Error('no response');
  const headers = response.headers();
  expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cache-control']).toBe('no-store');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
}

/**
 * Every page in real Chromium over scripted password pages: headers, no CSP violation,
 * labels, focus order, the show-password toggle, and the same forms without JavaScript.
 */
describe('pages in Chromium', () => {
  let web: WebHarness;
  let browser: TestBrowser;
  let context: BrowserContext;
  const problems: string[] = [];

  const open = async (path: string): Promise<Page> => {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text()))
        problems.push(`${path}: ${message.text()}`);
    });
    const response = await page.goto(web.base + path);
    expectHeaders(response);
    return page;
  };

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebHarness(), launchBrowser()]);
    context = await browser.context();
  });
  afterAll(async () => {
    await context.close();
    await browser.close();
    await web.close();
  });

  it('shows the forgot page with a labelled email field', async () => {
    const page = await open('/forgot');
    await expect(page.getByLabel('Login email').getAttribute('autocomplete')).resolves.toBe('username');
    await browser.screenshot(page, 'forgot');
    await page.getByLabel('Login email').fill('someone@example.com');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain(
      'If an account uses that login email',
    );
    await browser.screenshot(page, 'forgot-sent');
    expect(web.pages.forgotten).toContain('someone@example.com');
  });

  it('walks the reset pages with focus in order and the toggle working', async () => {
    const page = await open(`/reset/${GOOD_TOKEN}`);
    expect(new URL(page.url()).pathname).toBe('/reset');
    const password = page.getByLabel('New password', { exact: true });
    const confirmation = page.getByLabel('New password again');
    const focused = () => page.evaluate<string>('document.activeElement.id');
    await expect(focused()).resolves.toBe('password');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('confirmation');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('show-passwords');

    // A page that blocks paste cancels this event; ours must leave it alone.
    const pasteAllowed = await page.evaluate<boolean>(
      "document.getElementById('password').dispatchEvent(new ClipboardEvent('paste', { cancelable: true, bubbles: true }))",
    );
    expect(pasteAllowed).toBe(true);
    await password.fill('New.pass1');
    await page.getByLabel('Show passwords').check();
    await expect(password.getAttribute('type')).resolves.toBe('text');
    await page.getByLabel('Show passwords').uncheck();
    await expect(password.getAttribute('type')).resolves.toBe('password');
    await browser.screenshot(page, 'reset-form');

    web.pages.next = { page: 'form', kind: 'reset', errors: ['The two passwords do not match.'] };
    await confirmation.fill('New.pass2');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The two passwords do not match.');
    await browser.screenshot(page, 'reset-form-errors');

    await page.getByLabel('New password', { exact: true }).fill('New.pass1');
    await page.getByLabel('New password again').fill('New.pass1');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByLabel('6-digit code').getAttribute('autocomplete')).resolves.toBe('one-time-code');
    await browser.screenshot(page, 'reset-code');

    await page.getByLabel('6-digit code').fill('123456');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your new password is saved');
    await browser.screenshot(page, 'reset-done');
    expect(web.pages.calls.at(-1)).toEqual({ method: 'resetSubmitCode', args: [GOOD_TOKEN, '123456'] });
  });

  it('shows one invalid-link page with a way to ask again', async () => {
    const page = await open('/reset/not-a-real-token');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Link invalid or expired',
    );
    await expect(
      page.getByRole('link', { name: 'Ask for a new reset link' }).getAttribute('href'),
    ).resolves.toBe('/forgot');
    await browser.screenshot(page, 'reset-invalid');
  });

  it('shows the change-password page and its cooldown', async () => {
    const page = await open(`/password/${CHANGE_TOKEN}`);
    await expect(page.getByLabel('Current password').getAttribute('autocomplete')).resolves.toBe(
      'current-password',
    );
    await browser.screenshot(page, 'password-form');
    web.pages.next = { page: 'cooldown', retryAt: web.clock.now() + 15 * 60 * 1000 };
    await page.getByLabel('Current password').fill('wrong');
    await page.getByLabel('New password', { exact: true }).fill('New.pass1');
    await page.getByLabel('New password again').fill('New.pass1');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('wrong too many times');
    await browser.screenshot(page, 'password-cooldown');
  });

  it('shows the flow diagrams', async () => {
    const page = await open('/flows');
    await expect(page.locator('img').count()).resolves.toBe(flowMachines.length + childMachines.length);
    const widths = await page.evaluate<number[]>(
      'Promise.all([...document.images].map((image) => image.decode().then(() => image.naturalWidth)))',
    );
    expect(widths.every((width) => width > 0)).toBe(true);
    await browser.screenshot(page, 'flows');
  });

  it('shows the not-found page', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${web.base}/nothing-here`);
    expect(response?.status()).toBe(404);
    expectHeaders(response);
    await browser.screenshot(page, 'not-found');
  });

  it('works without JavaScript', async () => {
    const noScript = await (await browser.context()).browser()?.newContext({ javaScriptEnabled: false });
    if (!noScript) throw new Error('no context');
    const page = await noScript.newPage();
    await page.goto(`${web.base}/reset/${GOOD_TOKEN}`);
    await expect(page.locator('.toggle').isHidden()).resolves.toBe(true);
    await page.getByLabel('New password', { exact: true }).fill('New.pass1');
    await page.getByLabel('New password again').fill('New.pass1');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByLabel('6-digit code').isVisible()).resolves.toBe(true);
    await noScript.close();
  });

  it('raised no CSP violation on any page', () => {
    expect(problems).toEqual([]);
  });
});
