import { freePort } from '../support/redis-server.js';
import type { Page } from 'playwright-core';
import { createApplication, type Application } from '../../src/app/application.js';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { WORKBENCH_CHANNELS } from '../../src/workbench/people.js';
import { LeakScanner, secretsInText, type Leak } from '../support/slack/leak-scanner.js';
import { testConfig } from '../support/config.js';

export interface RunningWorkbench {
  app: Application;
  base: string;
  /** The secret scan over every Web API call the app made to the emulator so far. */
  leaks(): Leak[];
  close(): Promise<void>;
}

/**
 * The whole application as `npm start` runs it without Slack credentials (the workbench on,
 * development outboxes), on the run's Redis (or in-process), listening on a free loopback port.
 */
export async function startWorkbenchApp(
  options: { redis?: boolean; environment?: Record<string, string> } = {},
): Promise<RunningWorkbench> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = testConfig(
    { PORT: String(port), HOST: '127.0.0.1', PUBLIC_BASE_URL: base, ...options.environment },
    options,
  );
  const app = await createApplication(config, systemClock, createLogger('silent'), {
    workbench: true,
    listen: true,
  });
  const workbench = app.workbench;
  if (!workbench) throw new Error('the workbench did not start');
  const scanner = new LeakScanner(WORKBENCH_CHANNELS.review.id);
  scanner.addSource(() => [
    ...(app.notifications.mailOutbox?.list() ?? []).flatMap((entry) => secretsInText(entry.message.text)),
    ...(app.notifications.smsOutbox?.list() ?? []).flatMap((entry) => secretsInText(entry.message.text)),
  ]);
  return {
    app,
    base,
    leaks: () => scanner.scan(workbench.emulator.calls),
    close: () => app.stop(),
  };
}

/** Types in the open conversation's composer and sends. */
export async function write(page: Page, text: string): Promise<void> {
  const input = page.locator('#wb-composer-input');
  await input.fill(text);
  await input.press('Enter');
}

/** The newest text the Inbox shows to this recipient, once one arrives. */
export async function inboxText(page: Page, to: string, kind: 'sms' | 'mail'): Promise<string> {
  const item = page.locator(`.wb-inbox-item.wb-${kind}[data-to="${to}"]`).first();
  await item.waitFor();
  return (await item.locator('.wb-inbox-text').textContent()) ?? '';
}

export function sixDigits(text: string): string {
  const code = /(?<!\d)(\d{6})(?!\d)/.exec(text)?.[1];
  if (!code) throw new Error(`no code in: ${text}`);
  return code;
}
