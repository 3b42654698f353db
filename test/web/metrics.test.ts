import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication } from '../../src/app/application.js';
import { createLogger } from '../../src/core/logger.js';
import { testConfig } from '../support/config.js';
import { freePort } from '../support/redis-server.js';
import { MemoryAuditLog } from '../../src/adapters/memory/audit-log.js';
import { createFailFastRedis } from '../../src/adapters/redis/connection.js';
import { ManualClock } from '../../src/core/clock.js';
import { meteredAuditLog } from '../../src/web/metered-audit.js';
import { createMetrics } from '../../src/web/metrics.js';
import { storesReady } from '../../src/app/readiness.js';
import { connectShared } from '../support/redis.js';
import type { Redis } from 'ioredis';

describe('metrics fed by the audit trail', () => {
  it('counts flows by machine and outcome, cancelled ones as neither done nor failed', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const audit = meteredAuditLog(new MemoryAuditLog(new ManualClock(), { maxLength: 100 }), metrics);
    const flow = (action: string, detail: Record<string, string>) =>
      audit.record({ actor: 'slack:T1:U1', action, outcome: 'info', detail });
    await flow('flow.started', { machine: 'stepUp' });
    await flow('flow.started', { machine: 'stepUp' });
    await flow('flow.started', { machine: 'stepUp' });
    await flow('flow.finished', { machine: 'stepUp', status: 'done' });
    await flow('flow.finished', { machine: 'stepUp', status: 'failed' });
    await flow('flow.finished', { machine: 'stepUp', status: 'cancelled' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('account_assistant_flows_started_total{machine="stepUp"} 3');
    expect(text).toContain('account_assistant_flows_completed_total{machine="stepUp"} 1');
    expect(text).toContain('account_assistant_flows_failed_total{machine="stepUp"} 1');
  });

  it('counts codes sent and deliveries failed by channel, and nothing for refused sends', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const audit = meteredAuditLog(new MemoryAuditLog(new ManualClock(), { maxLength: 100 }), metrics);
    await audit.record({
      actor: 'system',
      action: 'code.sent',
      outcome: 'success',
      detail: { channel: 'sms' },
    });
    await audit.record({
      actor: 'system',
      action: 'code.sent',
      outcome: 'failure',
      detail: { channel: 'sms' },
    });
    await audit.record({
      actor: 'system',
      action: 'delivery.failed',
      outcome: 'failure',
      detail: { channel: 'email' },
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('account_assistant_codes_sent_total{channel="sms"} 1');
    expect(text).toContain('account_assistant_deliveries_failed_total{channel="email"} 1');
    expect(await audit.recent(10)).toHaveLength(3);
  });

  it('keeps registries apart so two applications in one process do not collide', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.flowsStarted.inc({ machine: 'stepUp' });
    expect(await first.registry.metrics()).toContain('machine="stepUp"');
    expect(await second.registry.metrics()).not.toContain('machine="stepUp"');
    expect(await second.registry.metrics()).toContain('process_cpu_seconds_total');
  });
});

describe('readiness', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectShared();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('is ready while Redis answers and not when it is unreachable', async () => {
    expect(await storesReady(redis)()).toBe(true);
    expect(await storesReady(null)()).toBe(true);
    const dead = createFailFastRedis('redis://127.0.0.1:1', { connectTimeout: 200 });
    expect(await storesReady(dead)()).toBe(false);
    dead.disconnect();
  });
});

describe('the metrics server', () => {
  it('listens on loopback by default, apart from the public port, which answers 404 for /metrics', async () => {
    const port = await freePort();
    const app = await createApplication(
      testConfig({ HOST: '0.0.0.0', PORT: String(port) }),
      new ManualClock(),
      createLogger('silent'),
      { listen: true, slack: false },
    );
    try {
      const scrape = app.metricsServer.address();
      expect(scrape?.host).toBe('127.0.0.1');
      expect(scrape?.port).not.toBe(port);
      app.metrics.flowsStarted.inc({ machine: 'stepUp' });
      const served = await fetch(`http://127.0.0.1:${scrape?.port}/metrics`);
      expect(served.status).toBe(200);
      expect(await served.text()).toContain('account_assistant_flows_started_total{machine="stepUp"} 1');
      const open = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(open.status).toBe(404);
      expect(await open.text()).not.toContain('account_assistant');
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await app.stop();
    }
    expect(app.metricsServer.address()).toBeNull();
  });
});
