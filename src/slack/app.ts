import { createHmac } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  App,
  HTTPModuleFunctions,
  SocketModeReceiver,
  defaultProcessEventErrorHandler,
  webApi,
  type Receiver,
} from '@slack/bolt';
import type { SlackConfig } from '../config/config.js';
import { systemClock, type Clock } from '../core/clock.js';
import { StartupError } from '../core/errors.js';
import { startup } from '../messages/startup.js';
import type { Logger } from '../core/logger.js';
import { answerFailures } from './answer/failure-answer.js';
import { openWindow } from './answer/request-window.js';
import { boltLogger } from './bolt-logger.js';
import { RETRY_BUDGET_IN_TIMEOUTS, retryingFetch } from './web-api-retries.js';
import type { SlackDependencies } from './dependencies.js';
import { FlowUi, slackError } from './flow-ui.js';
import { ingressGate } from './ingress/gate.js';
import { MemberCheck } from './ingress/members.js';
import { MalformedSlackPayload, malformedPayload } from './ingress/payloads.js';
import { SlackHttpReceiver } from './ingress/http-receiver.js';
import { supportCommand } from './support/commands.js';
import { createSupportKit } from './support/support-kit.js';
import type { SlackRoster } from './support/roster.js';
import type { SlackReviewChannel } from './review/review-channel.js';
import { slackViews } from './flows/index.js';
import { registerListeners, slackSurfaces } from './listeners/index.js';
import type { SlackKit } from './listeners/kit.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackAppOptions {
  /** Wall clock for the request timestamp check (Slack signs with real time). */
  requestClock?: Clock;
  /** 0: every Web API call is tried once (tests); by default it is retried within its budget. */
  retries?: 0;
  /** Overrides `config.slack.mode` (the Socket Mode smoke test, the workbench). */
  mode?: SlackConfig['mode'];
}

/** Built before the engine by the composition root (src/app/slack.ts); the app shares them. */
export interface SlackAppParts {
  client: webApi.WebClient;
  reviewers: SlackRoster;
  reviewChannel: SlackReviewChannel;
}

export interface SlackRuntime {
  app: App;
  client: webApi.WebClient;
  /** HTTP mode: answers Slack's POSTs (timestamp-checked, signed); the web server serves it at SLACK_EVENTS_PATH. */
  handle: RequestListener | null;
  /** HTTP mode on its own server (tests; running without the web server). */
  listen(port: number, host: string): Promise<{ url: string; close(): Promise<void> }>;
  /** Socket Mode: opens the connection. HTTP: nothing (the router is mounted or listened). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once every request received so far has been fully handled (after its ack). */
  idle(): Promise<void>;
}

/** A Web API client for the configured bot (the direct messenger uses it before the app exists). */
export function createSlackClient(config: SlackConfig, logger: Logger, retries?: 0): webApi.WebClient {
  return new webApi.WebClient(config.botToken, clientOptions(config, logger, retryBudgetMs(config, retries)));
}

/**
 * Start-up's auth.test tries for seconds, not a running call's minute: a refused token or an
 * unreachable Slack stops start-up with the variable to fix instead of a silent wait.
 */
const STARTUP_RETRY_BUDGET_MS = 3_000;

async function botIdentity(
  config: SlackConfig,
  logger: Logger,
  retries?: 0,
): Promise<webApi.AuthTestResponse> {
  const budgetMs = retries === 0 ? 0 : STARTUP_RETRY_BUDGET_MS;
  try {
    return await new webApi.WebClient(config.botToken, clientOptions(config, logger, budgetMs)).auth.test();
  } catch (error) {
    if (isPlatformError(error)) throw new StartupError(startup.slackTokenRefused(error.data.error));
    const code = error instanceof Error && 'code' in error ? error.code : null;
    if (code === webApi.ErrorCode.RequestError || code === webApi.ErrorCode.HTTPError)
      throw new StartupError(startup.slackUnreachable(config.apiUrl ?? SLACK_API, (error as Error).message));
    throw error;
  }
}

const SLACK_API = 'https://slack.com/api/';

function retryBudgetMs(config: SlackConfig, retries: 0 | undefined): number {
  return retries === 0 ? 0 : RETRY_BUDGET_IN_TIMEOUTS * config.apiTimeoutMs;
}

/**
 * The Socket Mode client retries a WebSocket it cannot open for ever, and the app listens only
 * after Slack is up: without a bound, a blocked wss:// would leave a process with no port and no
 * word. A refused app token stops start-up the same way, naming its variable.
 */
const SOCKET_OPEN_MS = 15_000;

async function openSocket(app: App): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new StartupError(startup.slackSocketUnreachable(SOCKET_OPEN_MS / 1000))),
      SOCKET_OPEN_MS,
    );
  });
  try {
    await Promise.race([app.start(), late]);
  } catch (error) {
    // Stops the reconnect timer; the WebSocket that never opened may never say it closed, so not awaited.
    void app.stop().catch(() => undefined);
    // Code, not instanceof: the Socket Mode client may bring its own copy of the Web API package.
    if (isPlatformError(error)) throw new StartupError(startup.slackAppTokenRefused(error.data.error));
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function isPlatformError(error: unknown): error is webApi.WebAPIPlatformError {
  return error instanceof Error && 'code' in error && error.code === webApi.ErrorCode.PlatformError;
}

function clientOptions(config: SlackConfig, logger: Logger, budgetMs: number): webApi.WebClientOptions {
  return {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    // Retries and the timeout of each try are the fetch's: the client tries once and hands a
    // 429 back at once instead of pausing every other call behind it.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    fetch: retryingFetch({ budgetMs, tryTimeoutMs: config.apiTimeoutMs }, logger),
    logger: boltLogger(logger, false),
  };
}

export async function createSlackApp(
  deps: SlackDependencies,
  parts: SlackAppParts,
  options: SlackAppOptions = {},
): Promise<SlackRuntime> {
  const { slack, logger } = deps;
  const { client, reviewers, reviewChannel } = parts;
  const mode = options.mode ?? slack.mode;
  const allowDebug = deps.config.env !== 'production';
  // Asked once here so Bolt does not call auth.test in its constructor (DESIGN §3).
  const identity = await botIdentity(slack, logger, options.retries);

  let httpReceiver: SlackHttpReceiver | null = null;
  let receiver: Receiver;
  if (mode === 'socket') {
    if (!slack.appToken) throw new Error('SLACK_APP_TOKEN is required for Socket Mode');
    receiver = new SocketModeReceiver({
      appToken: slack.appToken,
      logger: boltLogger(logger, allowDebug),
      installerOptions: {
        clientOptions: clientOptions(slack, logger, retryBudgetMs(slack, options.retries)),
      },
      // Acked so Slack does not deliver the malformed payload again.
      processEventErrorHandler: async (args) =>
        args.error instanceof MalformedSlackPayload || defaultProcessEventErrorHandler(args),
    });
  } else {
    if (!slack.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for HTTP mode');
    httpReceiver = new SlackHttpReceiver({
      signingSecret: slack.signingSecret,
      clock: options.requestClock ?? systemClock,
      logger: boltLogger(logger, allowDebug),
      processEventErrorHandler: async (args) => {
        if (!(args.error instanceof MalformedSlackPayload) || args.response.headersSent)
          return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
        args.response.writeHead(400);
        args.response.end();
        return true;
      },
    });
    receiver = httpReceiver;
  }

  const app = new App({
    token: slack.botToken,
    botId: identity.bot_id,
    botUserId: identity.user_id,
    receiver,
    convoStore: false,
    logger: boltLogger(logger, allowDebug),
    clientOptions: clientOptions(slack, logger, retryBudgetMs(slack, options.retries)),
  });

  const pending = new Set<Promise<unknown>>();
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => {
    // Before Bolt reads the body: one schema per payload kind (src/slack/ingress/payloads.ts).
    const malformed = malformedPayload(event.body);
    if (malformed) {
      logger.warn({ kind: malformed.kind, problems: malformed.problems }, 'malformed slack payload refused');
      return Promise.reject(malformed);
    }
    const window = openWindow(event, logger);
    const work = processEvent(window.event).finally(() => window.close());
    const tracked = work.catch(() => undefined);
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
    return work;
  };

  app.error(async (error) => {
    logger.error({ err: slackError(error.original ?? error), code: error.code }, 'slack listener failed');
  });

  const support = createSupportKit(deps, client, reviewers);
  const kit: SlackKit = {
    deps,
    ui: new FlowUi(deps, deps.stores.flowMessages, slackViews),
    support,
    supportCommand: supportCommand(support),
    reviewDesk: { deps, client, reviewers, channel: reviewChannel },
  };
  app.use(answerFailures(deps));
  app.use(
    ingressGate({
      teamId: slack.teamId,
      members: new MemberCheck(slack.teamId, deps.clock),
      dedupe: deps.stores.dedupe,
      logger,
      fingerprint: (text) =>
        createHmac('sha256', deps.config.keys.codeHmacKey).update(`slack-dedupe:${text}`).digest('hex'),
      claimedByListener: (body) => slackSurfaces.claimedByListener(body),
    }),
  );
  registerListeners(app, kit);

  return {
    app,
    client,
    handle: httpReceiver?.handle ?? null,
    listen: async (port, host) => {
      const handle = httpReceiver?.handle;
      if (!handle) throw new Error('listen() is for HTTP mode');
      // Served without Express: only Slack's POSTs come here.
      const server: Server = createServer((request, response) => {
        if (request.method === 'POST' && request.url?.split('?')[0] === SLACK_EVENTS_PATH)
          handle(request, response);
        else HTTPModuleFunctions.buildNoBodyResponse(response, 404);
      });
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
      const address = server.address() as AddressInfo;
      return {
        url: `http://${host}:${address.port}${SLACK_EVENTS_PATH}`,
        close: async () => {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    },
    start: async () => {
      if (mode === 'socket') await openSocket(app);
    },
    stop: async () => {
      if (mode === 'socket') await app.stop();
    },
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
