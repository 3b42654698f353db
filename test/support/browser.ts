import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium unless CHROMIUM_PATH names another build. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go (git-ignored). */
const ARTIFACTS_DIR = join(process.cwd(), 'test-artifacts');

export interface TestBrowser {
  /** A fresh context (own cookies) in the one browser of the file. */
  context(): Promise<BrowserContext>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * One real Chromium per test file with a fresh profile directory (a persistent context,
 * so the user data dir is ours and removed afterwards); tests take isolated contexts.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'aa-chromium-'));
  const persistent = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
  });
  const browser = persistent.browser();
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return {
    async context() {
      if (browser) return browser.newContext();
      throw new Error('Chromium did not expose a browser for new contexts');
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
    },
    async close() {
      await persistent.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
