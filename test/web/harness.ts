import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { MemoryRateLimiter } from '../../src/adapters/memory/rate-limiter.js';
import type { WebConfig } from '../../src/config/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import type { RateLimiter } from '../../src/ports/rate-limiter.js';
import { createMetrics, type Metrics } from '../../src/web/metrics.js';
import { passwordRuleLines } from '../../src/web/password-rules.js';
import { createWebServer, type WebServer } from '../../src/web/server.js';
import { ScriptedPasswordPages } from './fake-pages.js';
import { HttpClient } from './http-client.js';

export interface WebHarness {
  server: WebServer;
  base: string;
  pages: ScriptedPasswordPages;
  clock: ManualClock;
  metrics: Metrics;
  /** Every log line the server wrote. */
  logLines: string[];
  client(headers?: Record<string, string>): HttpClient;
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

/** The real web server on a loopback port over scripted password pages and an in-process limiter. */
export async function startWebHarness(
  web: Partial<WebConfig> = {},
  options: { rateLimiter?: RateLimiter } = {},
): Promise<WebHarness> {
  const clock = new ManualClock();
  const pages = new ScriptedPasswordPages();
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  let ready = true;
  const metrics = createMetrics({ processMetrics: false });
  const server = createWebServer({
    config: {
      port: 0,
      host: '127.0.0.1',
      publicBaseUrl: 'http://assist.test',
      trustProxyHops: 0,
      tokenGuessesPerIpPerHour: 30,
      forgotRequestsPerIpPerHour: 20,
      ...web,
    },
    secret: randomBytes(32),
    clock,
    logger: createLogger('debug', sink),
    metrics,
    rateLimiter: options.rateLimiter ?? new MemoryRateLimiter(clock),
    passwordPages: pages,
    passwordRules: passwordRuleLines({ policy: 'seed', historySize: 3 }),
    resetLinkTtlMs: 48 * 60 * 60 * 1000,
    ready: async () => ready,
  });
  const { port } = await server.listen();
  const base = `http://127.0.0.1:${port}`;
  return {
    server,
    base,
    pages,
    clock,
    metrics,
    logLines,
    client: (headers) => new HttpClient(base, headers),
    setReady: (value) => {
      ready = value;
    },
    close: () => server.close(),
  };
}
