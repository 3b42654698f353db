import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../core/logger.js';
import type { Metrics } from './metrics.js';

const QUIET_ROUTES = new Set(['/healthz', '/readyz']);

/**
 * The route pattern a request matched (`/reset/:token`), or the mount it went to. Logs and
 * metric labels use it instead of the URL: a path can hold a link token and a query
 * string anything, and neither may reach a log line.
 */
function routeLabel(request: Request, response: Response): string {
  const mounted: unknown = response.locals.mount;
  if (typeof mounted === 'string') return mounted;
  const route: unknown = request.route;
  if (typeof route === 'object' && route !== null && 'path' in route && typeof route.path === 'string') {
    return `${request.baseUrl}${route.path}`;
  }
  return 'unmatched';
}

/**
 * The logger of the request lines. Their fields are ours (ids, method, route pattern, status,
 * duration), never a request's content, so the redaction meant for whole objects logged by
 * mistake is left out: it copied every line, a tenth of a flow step's garbage.
 */
export function accessLogger(logger: Logger): Logger {
  return logger.child({}, { redact: [] });
}

/**
 * One line per request (id, method, route pattern, status, duration) and the latency
 * histogram. The id is ours, never a client's header, and is sent back as `X-Request-Id` so a
 * person's report can be matched to the line.
 */
export function requestLog(logger: Logger, metrics: Metrics): RequestHandler {
  return (request, response, next) => {
    logged(logger, metrics, request, response, () => routeLabel(request, response));
    next();
  };
}

/** The same line and histogram for a request served outside Express, under its route. */
export function logRequest(
  logger: Logger,
  metrics: Metrics,
  request: IncomingMessage,
  response: ServerResponse,
  route: string,
): void {
  logged(logger, metrics, request, response, () => route);
}

function logged(
  logger: Logger,
  metrics: Metrics,
  request: IncomingMessage,
  response: ServerResponse,
  routeOf: () => string,
): void {
  const started = process.hrtime.bigint();
  const requestId = randomUUID();
  response.setHeader('X-Request-Id', requestId);
  response.on('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = routeOf();
    const status = response.statusCode;
    const method = request.method ?? 'unknown';
    metrics.requestDuration.observe({ method, route, status: String(status) }, seconds);
    const line = { requestId, method, route, status, ms: Math.round(seconds * 1000) };
    if (QUIET_ROUTES.has(route)) logger.debug(line, 'request');
    else logger.info(line, 'request');
  });
}
