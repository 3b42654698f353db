import type { Server } from 'node:http';
import express from 'express';
import { listenOn } from './listen.js';
import type { Logger } from '../core/logger.js';
import type { Metrics } from './metrics.js';

export interface MetricsServerOptions {
  metrics: Metrics;
  /** Loopback by default: the metrics describe traffic and must not be public. */
  host: string;
  port: number;
  logger: Logger;
}

export interface MetricsServer {
  listen(): Promise<{ host: string; port: number }>;
  /** Where it listens; null before listen() and after close(). */
  address(): { host: string; port: number } | null;
  close(): Promise<void>;
}

/**
 * Prometheus metrics on a port of their own, apart from the pages people open: counters of
 * flows, codes and failures tell an outsider how the service is used and when it struggles.
 */
export function createMetricsServer(options: MetricsServerOptions): MetricsServer {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_request, response) => {
    response
      .type(options.metrics.registry.contentType)
      .set('cache-control', 'no-store')
      .send(await options.metrics.registry.metrics());
  });
  app.use((_request, response) => {
    response.status(404).type('text/plain').send('Not found\n');
  });

  let server: Server | undefined;
  return {
    async listen() {
      const listening = await listenOn(
        app,
        options,
        { host: 'METRICS_HOST', port: 'METRICS_PORT' },
        ({ host, port }) => options.logger.info({ host, port }, 'metrics server listening'),
      );
      server = listening.server;
      return { host: listening.host, port: listening.port };
    },
    address() {
      const bound = server?.address();
      return bound && typeof bound === 'object' ? { host: bound.address, port: bound.port } : null;
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
