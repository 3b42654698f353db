import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { seedDemoAccounts } from '../services/demo-accounts.js';
import type { ReminderSources } from '../services/notifications/reminders.js';
import type { DirectMessenger } from '../ports/direct-messenger.js';
import { buildNotifications, type Notifications } from './notifications.js';
import { buildEngine } from './engine.js';
import { sendResetLink } from '../engine/effects/passwords.js';
import type { XStateFlowEngine } from '../engine/engine.js';
import type { PasswordPages } from '../web/password-pages.js';
import { meteredAuditLog } from '../web/metered-audit.js';
import { createMetrics, type Metrics } from '../web/metrics.js';
import { createMetricsServer, type MetricsServer } from '../web/metrics-server.js';
import { createWebServer, type WebServer } from '../web/server.js';
import { createSlackApp, SLACK_EVENTS_PATH, type SlackRuntime } from '../slack/app.js';
import { passwordRuleLines } from '../web/password-rules.js';
import { startWorkbench, type Workbench } from '../workbench/workbench.js';
import {
  createHashingPool,
  type HashingPool,
  type HashingPoolOptions,
} from '../services/credentials/index.js';
import { buildServices, type Services } from './services.js';
import { buildSlackParts, engineOutlets, slackStores, type SlackParts } from './slack.js';
import { buildStores, type Stores } from './stores.js';

export interface Application {
  stores: Stores;
  services: Services;
  notifications: Notifications;
  /** Every flow runs through this. */
  engine: XStateFlowEngine;
  passwordPages: PasswordPages;
  /** The normal reset-link path (SPEC 3.9), for callers outside a flow such as the accounts import. */
  sendResetLink(loginEmail: string, actor: string): Promise<void>;
  /** The Slack client, messenger, reviewers and review channel the engine uses; null without Slack. */
  slackParts: SlackParts | null;
  metrics: Metrics;
  /** `/metrics` on config.metrics host and port, apart from the public pages. */
  metricsServer: MetricsServer;
  /** The one web server (password pages, diagrams, health); Slack's HTTP receiver mounts on it. */
  web: WebServer;
  /** The Slack app; null without Slack credentials or when the caller builds its own. */
  slack: SlackRuntime | null;
  /** The local workbench (development without Slack credentials); null otherwise. */
  workbench: Workbench | null;
  /** The worker threads every bcrypt hash and comparison runs on. */
  hashing: HashingPool;
  stop(): Promise<void>;
}

/**
 * Builds every part from the config: the one place that knows which adapter serves
 * which port. main.ts calls it with the real clock; tests call it with a manual one.
 */
export async function createApplication(
  config: AppConfig,
  clock: Clock,
  logger: Logger,
  options: {
    /** Open the web port; on by default except in tests, which run many applications at once. */
    listen?: boolean;
    /** False: do not start the Slack app (tests that drive their own over `slackParts`). */
    slack?: boolean;
    /** 0: the Slack client tries every Web API call once (tests); by default within a retry budget. */
    slackRetries?: 0;
    /** Run the Slack app against the workbench's emulator; by default in development without Slack. */
    workbench?: boolean;
    /** Threads and queue of the hashing pool; by default one thread fewer than the cores. */
    hashing?: HashingPoolOptions;
    /**
     * False: jobs are only queued, and the app's own instances send them. A command that exits
     * right after queueing would otherwise take a mail into an outbox that ends with it.
     */
    deliveryWorkers?: boolean;
  } = {},
): Promise<Application> {
  const metrics = createMetrics();
  const built = await buildStores(config, clock, logger);
  const workbench =
    (options.workbench ?? (config.env === 'development' && config.slack === null))
      ? await startWorkbench(built.flowSessions)
      : null;
  if (workbench) config = { ...config, slack: workbench.slack };
  const stores: Stores = {
    ...built,
    audit: meteredAuditLog(built.audit, metrics),
    flowSessions: workbench?.watch ?? built.flowSessions,
    reviewCards: workbench?.reviewCards(built.reviewCards) ?? built.reviewCards,
  };
  // bcrypt on worker threads below the core count, so a burst of password work never delays an ack.
  const hashing = createHashingPool(options.hashing);
  const services = buildServices(config, stores, clock, logger, hashing);
  const slackParts = config.slack
    ? buildSlackParts(config, config.slack, stores, clock, logger, options.slackRetries)
    : null;
  const outlets = engineOutlets(slackParts, logger);
  const notifications = buildNotifications(config, {
    clock,
    logger,
    audit: stores.audit,
    sources: reminderSources(
      stores,
      (reminder) => outlets.reviewChannel.remindOverdue(reminder),
      (message) => outlets.messenger.send(message),
    ),
  });
  logger.info({ store: stores.kind }, 'stores ready');

  if ((stores.kind === 'memory' || workbench) && config.directory.kind === 'embedded') {
    // The in-process store starts empty every time, and the workbench's people need their
    // accounts; seeding is idempotent, so a kept Redis is completed, never duplicated.
    const seeded = await seedDemoAccounts(
      stores.directory,
      (password) => services.credentials.hash(password),
      clock,
      services.documents,
      // The workbench files pending reviews through the identity flow, so reviewers can decide them.
      { pendingIdentities: workbench === null },
    );
    logger.info({ accounts: seeded.length, store: stores.kind }, 'demo accounts ready');
    await workbench?.linkPeople(stores.directory);
  }

  const { engine, passwordPages, effects } = buildEngine(
    config,
    clock,
    logger,
    { stores, services, notifications },
    outlets,
  );
  if (options.deliveryWorkers !== false) {
    await notifications.start();
    logger.info('delivery workers ready');
  }
  const web = createWebServer({
    config: config.web,
    secret: config.keys.codeHmacKey,
    clock,
    logger,
    metrics,
    rateLimiter: stores.rateLimiter,
    passwordPages,
    passwordRules: passwordRuleLines(config.passwords),
    documents: { tickets: services.documentViews, images: services.documentImages, audit: stores.audit },
    resetLinkTtlMs: config.links.resetTtlMs,
    ready: () => stores.ready(),
  });
  let slack: SlackRuntime | null = null;
  if (config.slack && slackParts && options.slack !== false) {
    const deps = {
      engine,
      stores: slackStores(stores),
      services,
      config,
      slack: config.slack,
      clock,
      logger,
    };
    slack = await createSlackApp(deps, slackParts);
    if (slack.handle) web.post(SLACK_EVENTS_PATH, slack.handle);
    await slack.start();
    logger.info({ mode: config.slack.mode }, 'slack app ready');
    if (workbench) {
      // The demo accounts, and so their reviews, exist only in the embedded directory.
      if (config.directory.kind === 'embedded')
        await workbench.fileReviews(engine, stores.directory, outlets.reviewChannel);
      const runtime = slack;
      web.mount(
        '/',
        workbench.connect({
          outboxes: { mail: notifications.mailOutbox, sms: notifications.smsOutbox },
          settle: () => runtime.idle(),
        }),
      );
    }
  }
  const metricsServer = createMetricsServer({ metrics, ...config.metrics, logger });
  if (options.listen ?? config.env !== 'test') {
    const bound = await web.listen();
    workbench?.listening(`http://${loopbackFor(bound.host)}:${bound.port}`);
    await metricsServer.listen();
  }

  // Retention runs on every instance; deletes are idempotent, so overlapping sweeps are harmless.
  const retention = setInterval(() => {
    services.documentImages
      .sweep()
      .catch((error: unknown) =>
        logger.error(
          { err: error instanceof Error ? error.message : 'unknown' },
          'document retention sweep failed',
        ),
      );
  }, RETENTION_SWEEP_INTERVAL_MS);
  retention.unref();

  return {
    stores,
    services,
    notifications,
    engine,
    passwordPages,
    sendResetLink: (loginEmail, actor) =>
      sendResetLink(effects, loginEmail, actor, `${actor}-${randomBytes(12).toString('base64url')}`),
    slackParts,
    metrics,
    metricsServer,
    web,
    slack,
    workbench,
    hashing,
    stop: async () => {
      clearInterval(retention);
      await slack?.stop();
      await web.close();
      await metricsServer.close();
      await workbench?.close();
      await notifications.close();
      await stores.close();
      await hashing.close();
    },
  };
}

const RETENTION_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

function reminderSources(
  stores: Stores,
  remindReviewers: ReminderSources['remindReviewers'],
  tell: DirectMessenger['send'],
): ReminderSources {
  const expiry = stores.directoryPasswords;
  return {
    reviewPending: async (submissionId) =>
      (await stores.directory.getSubmission(submissionId))?.status === 'pending',
    remindReviewers,
    passwordState: async (accountId) => {
      const account = await stores.directory.getById(accountId);
      if (account === null || account.passwordChangedAt === null) return null;
      return {
        changedAt: account.passwordChangedAt,
        email: account.loginEmail,
        name: account.accountName,
        expiresAt: expiry ? await expiry.expiresAt(accountId) : null,
      };
    },
    expiringPasswords: async (from, until) => (expiry ? expiry.expiring(from, until) : []),
    remindOwnerOfExpiry: (accountId, expiresAt) =>
      tell({
        kind: 'passwordExpiring',
        owner: `acct:${accountId}`,
        accountId,
        flowId: `password-expiry:${accountId}`,
        detail: { expiresAt: String(expiresAt) },
      }),
  };
}

/** The address the workbench reaches its own server at: loopback when it listens on every interface. */
function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
