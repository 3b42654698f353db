import { hkdfSync } from 'node:crypto';
import type { RequestListener, Server } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import type { WebConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { TemporarilyUnavailableError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { PasswordPages } from './password-pages.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { DocumentImages } from '../services/document-images/document-images.js';
import type { DocumentViewTickets } from '../services/document-images/view-tickets.js';
import { clientIp } from './client-ip.js';
import { changePasswordRoutes } from './flows/change-password.js';
import { identityDocumentRoutes } from './flows/identity-verification.js';
import { resetPasswordRoutes } from './flows/reset-password.js';
import { CsrfProtection } from './csrf.js';
import { IpLimits } from './ip-limits.js';
import { listenOn } from './listen.js';
import type { Metrics } from './metrics.js';
import { web } from '../messages/web.js';
import { messagePage, notFoundPage, serverErrorPage, unavailablePage } from './pages/messages.js';
import { accessLogger, logRequest, requestLog } from './request-log.js';
import { assetRoutes } from './routes/assets.js';
import { sendPage, type PageContext } from './routes/context.js';
import { flowRoutes } from './routes/flows.js';
import { healthRoutes } from './routes/health.js';
import { securityHeaders } from './security-headers.js';

export interface WebServerOptions {
  config: WebConfig;
  /** Server secret the CSRF and address-hash keys are derived from (never used directly). */
  secret: Buffer;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  rateLimiter: RateLimiter;
  passwordPages: PasswordPages;
  /** The password policy as the forms list it (see password-rules.ts). */
  passwordRules: readonly string[];
  /** How long a reset link works (config.links.resetTtlMs). */
  resetLinkTtlMs: number;
  /** Whether the stores answer (`/readyz`). */
  ready: () => Promise<boolean>;
  /** Reviewers' one-time links to identity document images; absent, `/documents` is not served. */
  documents?: { tickets: DocumentViewTickets; images: DocumentImages; audit: AuditLog };
  /** Where the generated diagrams are; docs/flows by default. */
  flowsDir?: string;
}

export interface WebServer {
  readonly app: Express;
  /**
   * Adds a handler ahead of the pages, e.g. Bolt's receiver on `/slack/events` in HTTP mode.
   * Nothing parses the body before it, so a signature check sees the raw bytes.
   */
  mount(path: string, ...handlers: (RequestHandler | Router)[]): void;
  /**
   * POSTs to exactly `path` go to `handler` before Express sees them (Slack's receiver: its
   * requests are the app's hot path, and Express's routing cost a tenth of a flow step),
   * logged and measured like every other request. Nothing parses the body before it.
   */
  post(path: string, handler: RequestListener): void;
  /** Listens on config.web host and port; resolves to the address actually bound. */
  listen(): Promise<{ host: string; port: number }>;
  close(): Promise<void>;
}

/** The one public web server: password pages, diagrams, health, and any mounted handler (metrics have their own). */
export function createWebServer(options: WebServerOptions): WebServer {
  const { config, logger, metrics } = options;
  const secure = config.publicBaseUrl.startsWith('https://');
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const context: PageContext = {
    pages: options.passwordPages,
    csrf: new CsrfProtection(deriveKey(options.secret, 'web-csrf'), secure),
    limits: new IpLimits(options.rateLimiter, deriveKey(options.secret, 'web-ip'), config),
    clock: options.clock,
    logger,
    secure,
    passwordRules: options.passwordRules,
    resetLinkTtlMs: options.resetLinkTtlMs,
    ip: (request) => clientIp(request, config.trustProxyHops),
  };
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });

  const accessLog = accessLogger(logger);
  app.use(requestLog(accessLog, metrics));
  app.use(securityHeaders({ https: secure }));
  const mounts = express.Router();
  app.use(mounts);
  app.use(healthRoutes(options.ready));
  app.use(assetRoutes());
  app.use(flowRoutes(options.flowsDir));
  app.use(resetPasswordRoutes(context, form));
  app.use(changePasswordRoutes(context, form));
  if (options.documents) app.use(identityDocumentRoutes(options.documents));
  app.get('/', (_request, response) => response.redirect(303, '/forgot'));
  app.use((_request, response) => sendPage(response, 404, notFoundPage()));
  app.use(errorHandler(logger));

  const posts = new Map<string, RequestListener>();
  const serve: RequestListener = (request, response) => {
    const path = request.method === 'POST' ? request.url?.split('?')[0] : undefined;
    const direct = path === undefined ? undefined : posts.get(path);
    if (path === undefined || direct === undefined) {
      app(request, response);
      return;
    }
    logRequest(accessLog, metrics, request, response, path);
    direct(request, response);
  };

  let server: Server | undefined;
  return {
    app,
    post(path, handler) {
      posts.set(path, handler);
    },
    mount(path, ...handlers) {
      const label: RequestHandler = (_request, response, next) => {
        response.locals.mount = path;
        next();
      };
      // A request the mounted handlers pass on (the workbench at `/` passes on /forgot) is labelled by the route that takes it.
      const unlabel: RequestHandler = (_request, response, next) => {
        delete response.locals.mount;
        next();
      };
      mounts.use(path, label, ...handlers, unlabel);
    },
    async listen() {
      const listening = await listenOn(serve, config, { host: 'HOST', port: 'PORT' }, ({ host, port }) =>
        logger.info({ host, port }, 'web server listening'),
      );
      server = listening.server;
      return { host: listening.host, port: listening.port };
    },
    async close() {
      const running = server;
      server = undefined;
      if (!running) return;
      running.closeAllConnections();
      await new Promise<void>((resolve) => running.close(() => resolve()));
    },
  };
}

/** A store outage is answered "try again shortly" (fail closed); anything else is a bug, logged without the request. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _request, response, _next) => {
    if (response.headersSent) return;
    if (error instanceof TemporarilyUnavailableError) {
      logger.warn({ reason: error.message }, 'page answered unavailable');
      sendPage(response, 503, unavailablePage());
      return;
    }
    const status = httpStatus(error);
    if (status !== null && status < 500) {
      sendPage(response, status, messagePage(web.formExpired.title, web.formExpired.body));
      return;
    }
    logger.error(
      { err: error instanceof Error ? { name: error.name, message: error.message } : 'unknown' },
      'page failed',
    );
    sendPage(response, 500, serverErrorPage());
  };
}

/** Body-parser errors (too large, malformed) carry their HTTP status. */
function httpStatus(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || !('status' in error)) return null;
  return typeof error.status === 'number' ? error.status : null;
}

function deriveKey(secret: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `account-assistant:${purpose}`, 32));
}
