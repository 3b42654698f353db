import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createApplication, type Application } from '../../../src/app/application.js';
import { slackStores } from '../../../src/app/slack.js';
import { ManualClock, systemClock } from '../../../src/core/clock.js';
import { createLogger, type Logger } from '../../../src/core/logger.js';
import type { FlowEngine } from '../../../src/engine/flow-engine.js';
import type { PasswordPages } from '../../../src/web/password-pages.js';
import { createSlackApp, type SlackRuntime } from '../../../src/slack/app.js';
import type { SlackDependencies } from '../../../src/slack/dependencies.js';
import { testConfig } from '../config.js';
import { FakeSlack } from './fake-slack.js';
import { LeakScanner, type Leak } from './leak-scanner.js';
import { SlackSigner, type SlackResponse } from './signer.js';
import { visibleText } from './blocks.js';
import { SlackWorkspace } from './workspace.js';
import { SmsCapture } from '../sms-capture.js';
import { SmtpCapture } from '../smtp-capture.js';

export const TEST_SIGNING_SECRET = 'a3f1c9e0b7d2468a9c0e1f2b3d4c5a6e';
export const REVIEW_CHANNEL = 'C0REVIEW';
export const SUPPORT_CHANNEL = 'C0SUPPORT';

export interface SlackHarnessOptions {
  /** A double for runtime tests; the application's real engine when absent. */
  engine?: () => FlowEngine;
  /** Extra environment (SMTP_URL, SMS_WEBHOOK_URL, SUPPORT_USER_IDS, …). */
  env?: Record<string, string>;
  mode?: 'http' | 'socket';
  /** Where the app logs; silent when absent (tests that read log lines pass their own). */
  logger?: Logger;
  /** Another instance's fake Slack, for several app instances in one workspace (not closed here). */
  fake?: FakeSlack;
  /** Web API calls retried within their budget as in production; by default each is tried once. */
  productionRetries?: boolean;
}

export interface SlackHarness {
  fake: FakeSlack;
  workspace: SlackWorkspace;
  runtime: SlackRuntime;
  deps: SlackDependencies;
  application: Application;
  engine: FlowEngine;
  passwordPages?: PasswordPages;
  clock: ManualClock;
  scanner: LeakScanner;
  /** The app's events URL (HTTP mode). */
  url: string;
  close(): Promise<void>;
}

/**
 * The real Bolt app over HTTP (or Socket Mode) against the fake Slack, on the run's Redis
 * under a fresh prefix, with real notification workers. Requests are signed by a SlackSigner
 * and every Web API call the app makes is recorded for the leak scanner.
 */
export async function startSlackHarness(options: SlackHarnessOptions): Promise<SlackHarness> {
  const fake = options.fake ?? (await FakeSlack.start());
  const mode = options.mode ?? 'http';
  const config = testConfig({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_APP_TOKEN: fake.appToken,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_MODE: mode,
    SLACK_API_URL: fake.apiUrl,
    SLACK_TEAM_ID: fake.teamId,
    REVIEW_CHANNEL_ID: REVIEW_CHANNEL,
    SUPPORT_CHANNEL_ID: SUPPORT_CHANNEL,
    ...options.env,
  });
  const slack = config.slack;
  if (slack === null) throw new Error('test config has no Slack section');
  const clock = new ManualClock(Date.now());
  const logger = options.logger ?? createLogger('silent');
  const application = await createApplication(config, clock, logger, {
    slack: false,
    listen: false,
    ...(options.productionRetries ? {} : { slackRetries: 0 as const }),
  });
  const parts = application.slackParts;
  if (parts === null) throw new Error('the application built no Slack parts');
  const engine = options.engine?.() ?? application.engine;
  const passwordPages = options.engine ? undefined : application.passwordPages;
  const deps: SlackDependencies = {
    engine,
    stores: slackStores(application.stores),
    services: application.services,
    config,
    slack,
    clock,
    logger,
  };
  const runtime = await createSlackApp(deps, parts, {
    mode,
    ...(options.productionRetries ? {} : { retries: 0 as const }),
    requestClock: systemClock,
  });
  let url = '';
  let closeServer = async () => undefined as void;
  if (mode === 'http') {
    const listening = await runtime.listen(0, '127.0.0.1');
    url = listening.url;
    closeServer = listening.close;
  } else {
    await runtime.start();
  }
  const signer = new SlackSigner(url, TEST_SIGNING_SECRET);
  const workspace = new SlackWorkspace(fake, signer, () => runtime.idle());
  const scanner = new LeakScanner(REVIEW_CHANNEL);
  return {
    fake,
    workspace,
    runtime,
    deps,
    application,
    engine,
    ...(passwordPages ? { passwordPages } : {}),
    clock,
    scanner,
    url,
    close: async () => {
      await runtime.idle();
      await runtime.stop();
      await closeServer();
      await application.stop();
      if (!options.fake) await fake.close();
    },
  };
}

/**
 * Starts a harness for the file (beforeAll), scans every outgoing Web API call after each
 * test and fails it on a leak (afterEach), and closes everything (afterAll).
 */
export function useSlackHarness(
  options: SlackHarnessOptions | (() => SlackHarnessOptions | Promise<SlackHarnessOptions>),
): () => SlackHarness {
  let harness: SlackHarness | undefined;
  let scanned = 0;
  beforeAll(async () => {
    harness = await startSlackHarness(typeof options === 'function' ? await options() : options);
  });
  afterEach(() => {
    if (!harness) return;
    const calls = harness.fake.calls.slice(scanned);
    scanned = harness.fake.calls.length;
    const leaks: Leak[] = harness.scanner.scan(calls);
    expect(leaks, 'secrets in outgoing Slack payloads').toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
  });
  return () => {
    if (!harness) throw new Error('the Slack harness is not started yet');
    return harness;
  };
}

/** Real SMS and mail capture for a file, wired into its harness and closed after it. */
export interface Deliveries {
  sms: SmsCapture;
  smtp: SmtpCapture;
}

export function useSlackHarnessWithDeliveries(env: Record<string, string> = {}): {
  harness: () => SlackHarness;
  deliveries: Deliveries;
} {
  const deliveries = {} as Deliveries;
  const harness = useSlackHarness(async () => {
    deliveries.sms = await SmsCapture.start();
    deliveries.smtp = await SmtpCapture.start();
    const { sms, smtp } = deliveries;
    return { env: { SMS_WEBHOOK_URL: sms.url, SMS_WEBHOOK_SECRET: sms.secret, SMTP_URL: smtp.url, ...env } };
  });
  afterAll(async () => {
    await deliveries.sms?.close();
    await deliveries.smtp?.close();
  });
  return { harness, deliveries };
}

/** What `userId` was shown after call `since`: the ack, DMs, ephemerals, response_url answers, Home. */
export function toldSince(h: SlackHarness, userId: string, since: number, ack?: SlackResponse): string {
  const seen = [String(ack?.json?.text ?? '')];
  for (const call of h.fake.calls.slice(since)) {
    const to = [call.args.channel, call.args.user, call.args.user_id];
    if (!call.ok || !to.includes(userId)) continue;
    seen.push(visibleText(call.args.blocks ?? call.args.view, String(call.args.text ?? '')));
  }
  return seen.join('\n');
}
