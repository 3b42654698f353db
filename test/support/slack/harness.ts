import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createApplication, type Application } from '../../../src/app/application.js';
import type { AppConfig } from '../../../src/config/config.js';
import { ManualClock, systemClock } from '../../../src/core/clock.js';
import { createLogger, type Logger } from '../../../src/core/logger.js';
import type { FlowEngine } from '../../../src/engine/flow-engine.js';
import type { PasswordPages } from '../../../src/engine/password-pages.js';
import type { DirectMessenger } from '../../../src/ports/direct-messenger.js';
import {
  createSlackApp,
  createSlackClient,
  type SlackAppOptions,
  type SlackRuntime,
} from '../../../src/slack/app.js';
import type { SlackDependencies } from '../../../src/slack/dependencies.js';
import { SlackDirectMessenger } from '../../../src/slack/direct-messenger.js';
import { flowTimings } from '../../../src/messages/flows.js';
import { testConfig } from '../config.js';
import { FakeSlack } from './fake-slack.js';
import { LeakScanner, type Leak } from './leak-scanner.js';
import { SlackSigner } from './signer.js';
import { SlackWorkspace } from './workspace.js';

export const TEST_SIGNING_SECRET = 'a3f1c9e0b7d2468a9c0e1f2b3d4c5a6e';
export const REVIEW_CHANNEL = 'C0REVIEW';
export const SUPPORT_CHANNEL = 'C0SUPPORT';

/** What a test needs to build the engine the app runs on (the real one or a double). */
export interface EngineParts {
  application: Application;
  config: AppConfig;
  clock: ManualClock;
  logger: Logger;
  messenger: DirectMessenger;
}

export interface BuiltEngine {
  engine: FlowEngine;
  passwordPages?: PasswordPages;
}

export interface SlackHarnessOptions {
  /** A double for runtime tests; the application's real engine when absent. */
  engine?: (parts: EngineParts) => FlowEngine | BuiltEngine | Promise<FlowEngine | BuiltEngine>;
  /** Extra environment (SMTP_URL, SMS_WEBHOOK_URL, SUPPORT_USER_IDS, …). */
  env?: Record<string, string>;
  mode?: 'http' | 'socket';
  /** Where the app logs; silent when absent (tests that read log lines pass their own). */
  logger?: Logger;
  app?: Omit<SlackAppOptions, 'mode' | 'retries' | 'requestClock'>;
  /** Another instance's fake Slack, for several app instances in one workspace (not closed here). */
  fake?: FakeSlack;
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
  const application = await createApplication(config, clock, logger, { slack: false, listen: false });
  const messenger = new SlackDirectMessenger(
    createSlackClient(slack, logger, 0),
    slack,
    application.stores.directory,
    logger,
    flowTimings(config),
    application.stores.flowMessages,
  );
  application.directMessages.attach(messenger);
  const built: FlowEngine | BuiltEngine = options.engine
    ? await options.engine({ application, config, clock, logger, messenger })
    : { engine: application.engine, passwordPages: application.passwordPages };
  const { engine, passwordPages } = 'engine' in built ? built : { engine: built, passwordPages: undefined };
  const deps: SlackDependencies = {
    engine,
    ...(passwordPages ? { passwordPages } : {}),
    stores: application.stores,
    services: application.services,
    notifications: application.notifications,
    config,
    slack,
    clock,
    logger,
  };
  const runtime = await createSlackApp(deps, {
    ...options.app,
    mode,
    retries: 0,
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
