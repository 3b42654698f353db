import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/adapters/memory/audit-log.js';
import { nodeTopology } from '../../src/adapters/redis/connection.js';
import { RedisJobQueue } from '../../src/adapters/redis/job-queue.js';
import { WebhookSmsSender } from '../../src/adapters/sms/webhook-sms-sender.js';
import { systemClock } from '../../src/core/clock.js';
import type { JobQueueSettings } from '../../src/ports/job-queue.js';
import { sharedRedisUrl, uniquePrefix } from '../support/redis.js';
import { SmsCapture } from '../support/sms-capture.js';
import { eventually, sleep } from './eventually.js';
import { capturedLogger, deliveryService, queueSettings, unusedMailer } from './harness.js';

/** Real Redis (BullMQ) and a loopback gateway that checks signatures itself. */
describe('SMS delivery through the webhook', () => {
  let gateway: SmsCapture;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    gateway = await SmsCapture.start();
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  afterAll(async () => {
    await gateway.close();
  });

  async function stack(
    options: { secret?: string; timeoutMs?: number; settings?: Partial<JobQueueSettings> } = {},
  ) {
    const { logger, lines } = capturedLogger();
    const audit = new MemoryAuditLog(systemClock, { maxLength: 100 });
    const queue = new RedisJobQueue({
      topology: nodeTopology(sharedRedisUrl()),
      keyPrefix: uniquePrefix('sms'),
      clock: systemClock,
      settings: queueSettings({ backoffMs: 30, ...options.settings }),
      logger,
    });
    const sms = new WebhookSmsSender({
      url: gateway.url,
      secret: options.secret ?? gateway.secret,
      timeoutMs: options.timeoutMs ?? 2_000,
      clock: systemClock,
    });
    const delivery = deliveryService({ queue, clock: systemClock, mailer: unusedMailer, sms, audit, logger });
    closers.push(() => queue.close());
    await queue.start();
    return { queue, delivery, audit, lines };
  }

  it('posts a signed {to, text, id} the gateway accepts, with a readable code', async () => {
    const { delivery } = await stack();
    const outcome = await delivery.smsNow({
      id: 'flow-s:code:1',
      to: '+8613800135678',
      template: { kind: 'code', purpose: 'security-mobile', code: '087654', validForMs: 600_000 },
    });
    expect(outcome).toBe('sent');
    const request = gateway.requests.find((entry) => entry.id === 'sms:flow-s:code:1');
    expect(request).toMatchObject({ to: '+8613800135678', signatureValid: true, status: 202 });
    expect(request?.text).toMatch(/(?<!\d)087654(?!\d)/);
    expect(request?.text).not.toMatch(/https?:/);
  });

  it('retries after 500 answers and delivers once', async () => {
    const { delivery, queue } = await stack();
    gateway.failNext(2);
    await delivery.sms({
      id: 'flow-t:notice:1',
      to: '+4915112345678',
      template: { kind: 'change-notice', change: 'security-mobile', at: Date.UTC(2026, 0, 5, 9) },
    });
    await eventually(async () => (await queue.status('sms:flow-t:notice:1')).state === 'completed');
    const requests = gateway.requests.filter((entry) => entry.id === 'sms:flow-t:notice:1');
    expect(requests.map((entry) => entry.status)).toEqual([500, 500, 202]);
    expect(gateway.messages().filter((sms) => sms.id === 'sms:flow-t:notice:1')).toHaveLength(1);
  });

  it('sends nothing more after a retry that follows a late success', async () => {
    const { delivery, queue } = await stack({ timeoutMs: 200 });
    gateway.answerLate(600);
    await delivery.sms({
      id: 'flow-u:decision:1',
      to: '+14155550123',
      template: { kind: 'identity-approved' },
    });
    await eventually(async () => (await queue.status('sms:flow-u:decision:1')).state === 'completed');
    await sleep(800);
    const requests = gateway.requests.filter((entry) => entry.id === 'sms:flow-u:decision:1');
    expect(requests).toHaveLength(2);
    expect(requests.every((entry) => entry.signatureValid)).toBe(true);
    expect(gateway.messages().filter((sms) => sms.id === 'sms:flow-u:decision:1')).toHaveLength(1);
    expect((await queue.status('sms:flow-u:decision:1')).attemptsMade).toBe(2);
  });

  it('gives up at once when the gateway refuses the signature, and audits it', async () => {
    const { delivery, audit, lines } = await stack({ secret: 'not-the-gateway-secret' });
    const outcome = await delivery.smsNow({
      id: 'flow-v:code:1',
      to: '+8613800135678',
      accountId: '3003',
      template: { kind: 'code', purpose: 'step-up', code: '112358', validForMs: 600_000 },
    });
    expect(outcome).toBe('failed');
    expect(gateway.messages().some((sms) => sms.id === 'sms:flow-v:code:1')).toBe(false);
    expect((await audit.recent(1))[0]).toMatchObject({
      action: 'delivery.failed',
      accountId: '3003',
      detail: { channel: 'sms', recipient: '+86 138****5678', reason: 'SMS gateway answered 401' },
    });
    expect(lines.join('\n')).not.toContain('112358');
    expect(lines.join('\n')).not.toContain('13800135678');
  });
});
