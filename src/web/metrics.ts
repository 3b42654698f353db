import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The app's Prometheus metrics on a registry of its own (never prom-client's global one,
 * so several applications in one process, as in tests, do not collide). The engine and
 * notifications increment the counters; the metrics server serves them on /metrics.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly flowsStarted: Counter<'machine'>;
  readonly flowsCompleted: Counter<'machine'>;
  readonly flowsFailed: Counter<'machine'>;
  readonly codesSent: Counter<'channel'>;
  readonly deliveriesFailed: Counter<'channel'>;
  /** Labelled with the route pattern, never the path: a path can carry a link token. */
  readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
}

export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    flowsStarted: counter('account_assistant_flows_started_total', 'Flows started, by machine.', ['machine']),
    flowsCompleted: counter(
      'account_assistant_flows_completed_total',
      'Flows that reached their goal, by machine.',
      ['machine'],
    ),
    flowsFailed: counter(
      'account_assistant_flows_failed_total',
      'Flows that failed, or were ended because they could not be continued, by machine (cancelled ones are not failures).',
      ['machine'],
    ),
    codesSent: counter('account_assistant_codes_sent_total', 'One-time codes sent, by channel.', ['channel']),
    deliveriesFailed: counter(
      'account_assistant_deliveries_failed_total',
      'Emails and texts that failed for good after every retry, by channel.',
      ['channel'],
    ),
    requestDuration: new Histogram({
      name: 'account_assistant_http_request_duration_seconds',
      help: 'Web request latency, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
