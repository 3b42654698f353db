import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SmtpMailer } from '../../src/adapters/mail/smtp-mailer.js';
import { RedisAuditLog } from '../../src/adapters/redis/audit-log.js';
import { nodeTopology } from '../../src/adapters/redis/connection.js';
import { RedisJobQueue } from '../../src/adapters/redis/job-queue.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { systemClock } from '../../src/core/clock.js';
import type { JobQueueSettings } from '../../src/ports/job-queue.js';
import type { DeliveryService } from '../../src/services/notifications/delivery.js';
import { connectShared, keysUnder, sharedRedisUrl, uniquePrefix } from '../support/redis.js';
import { readCode, readLink, SmtpCapture } from '../support/smtp-capture.js';
import { eventually, sleep } from './eventually.js';
import { capturedLogger, deliveryService, queueSettings, unusedSms } from './harness.js';

/** Real Redis (BullMQ), real SMTP on loopback: what a person finds in their mailbox. */
describe('email delivery through the job queue', () => {
  let redis: Redis;
  let smtp: SmtpCapture;
  const closers: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    redis = await connectShared();
    smtp = await SmtpCapture.start();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    smtp.refuse(0);
    await smtp.up().catch(() => undefined);
  });
  afterAll(async () => {
    await smtp.close();
    await redis.quit();
  });

  async function stack(
    options: {
      prefix?: string;
      settings?: Partial<JobQueueSettings>;
      waitMs?: number;
      worker?: boolean;
    } = {},
  ) {
    const prefix = options.prefix ?? uniquePrefix('mail');
    const { logger, lines } = capturedLogger();
    const audit = new RedisAuditLog(redis, new RedisKeys(prefix), systemClock, { maxLength: 1000 });
    const queue = new RedisJobQueue({
      topology: nodeTopology(sharedRedisUrl()),
      keyPrefix: prefix,
      clock: systemClock,
      settings: queueSettings(options.settings),
      logger,
    });
    const mailer = new SmtpMailer({
      url: smtp.url,
      from: 'Account Assistant <it@example.com>',
      timeoutMs: 2_000,
    });
    const delivery: DeliveryService = deliveryService({
      queue,
      clock: systemClock,
      mailer,
      sms: unusedSms,
      audit,
      logger,
      ...(options.waitMs === undefined ? {} : { interactiveWaitMs: options.waitMs }),
    });
    closers.push(
      () => queue.close(),
      () => mailer.close(),
    );
    if (options.worker !== false) await queue.start();
    return { prefix, queue, delivery, audit, lines };
  }

  it('delivers a code a person can read, and says it was sent', async () => {
    const { delivery } = await stack();
    const outcome = await delivery.emailNow({
      id: 'flow-a:step-up:1',
      to: 'Ada@Example.com',
      accountId: '1001',
      template: { kind: 'code', purpose: 'step-up', code: '042917', validForMs: 600_000, name: 'Ada' },
    });
    expect(outcome).toBe('sent');
    const mail = await smtp.waitForMail('ada@example.com');
    expect(readCode(mail)).toBe('042917');
    expect(mail.subject).toBe('Your verification code');
    expect(mail.from).toBe('it@example.com');
    expect(mail.html).toContain('042917');
    expect(mail.text).toMatch(/valid for 10 minutes/);
  });

  it('delivers a reset link that opens where it points and says 48 hours, single use', async () => {
    const { delivery } = await stack();
    const link = 'https://accounts.example.com/reset?token=Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Njc4OTAxMjM0NTY3';
    await delivery.email({
      id: 'forgot:77:1',
      to: 'grace@example.com',
      template: { kind: 'password-reset-link', link, validForMs: 172_800_000 },
    });
    const mail = await smtp.waitForMail('grace@example.com');
    expect(readLink(mail)).toBe(link);
    expect(mail.text).toMatch(/valid for 48 hours and can be used once/);
    expect(mail.html).toContain(`href="${link}"`);
  });

  it('sends one mail for one event however often it is queued', async () => {
    const { delivery } = await stack();
    const request = {
      id: 'flow-b:notice:1',
      to: 'once@example.com',
      template: { kind: 'change-notice', change: 'password', at: Date.UTC(2026, 0, 5, 9) } as const,
    };
    await Promise.all([delivery.email(request), delivery.email(request), delivery.emailNow(request)]);
    await smtp.waitForMail('once@example.com');
    await delivery.email(request);
    await sleep(300);
    expect(smtp.mailsTo('once@example.com')).toHaveLength(1);
  });

  it('loses nothing and doubles nothing while the mail server is down for a while', async () => {
    const { delivery, queue } = await stack({ settings: { attempts: 10, backoffMs: 50 } });
    await smtp.down();
    const addresses = Array.from({ length: 12 }, (_, index) => `outage${index}@example.com`);
    await Promise.all(
      addresses.map((to, index) =>
        delivery.email({ id: `outage:${index}`, to, template: { kind: 'identity-approved' } }),
      ),
    );
    await eventually(async () => (await queue.status('mail:outage:0')).attemptsMade >= 2);
    expect(smtp.messages.filter((mail) => mail.to[0]?.startsWith('outage'))).toHaveLength(0);
    await smtp.up();
    await eventually(() => addresses.every((to) => smtp.mailsTo(to).length > 0), 15_000);
    await sleep(300);
    expect(addresses.map((to) => smtp.mailsTo(to).length)).toEqual(addresses.map(() => 1));
  });

  it('tells a waiting person quickly when the first try failed, and delivers on a retry', async () => {
    const { delivery } = await stack({ settings: { backoffMs: 400 } });
    smtp.refuse(1);
    const outcome = await delivery.emailNow({
      id: 'flow-c:code:1',
      to: 'later@example.com',
      template: { kind: 'code', purpose: 'contact-email', code: '555123', validForMs: 600_000 },
    });
    expect(outcome).toBe('retrying');
    const mail = await smtp.waitForMail('later@example.com');
    expect(readCode(mail)).toBe('555123');
  });

  it('answers "pending" when no attempt ended within the wait, and still delivers', async () => {
    const { delivery } = await stack({ waitMs: 0 });
    await smtp.down();
    const outcome = await delivery.emailNow({
      id: 'flow-d:code:1',
      to: 'pending@example.com',
      template: { kind: 'code', purpose: 'login-email', code: '310777', validForMs: 600_000 },
    });
    expect(outcome).toBe('pending');
    await smtp.up();
    expect(readCode(await smtp.waitForMail('pending@example.com'))).toBe('310777');
  });

  it('keeps a mail that used up its attempts in the failed set and audits it without the body', async () => {
    const { delivery, queue, audit, lines } = await stack({ settings: { attempts: 3, backoffMs: 20 } });
    await smtp.down();
    await delivery.email({
      id: 'flow-e:code:1',
      to: 'gone@example.com',
      accountId: '2002',
      template: { kind: 'code', purpose: 'verification-email', code: '918273', validForMs: 600_000 },
    });
    await eventually(async () => (await queue.status('mail:flow-e:code:1')).state === 'failed');
    expect(await queue.failed(10)).toEqual([
      expect.objectContaining({ id: 'mail:flow-e:code:1', attempts: 3 }),
    ]);
    const [event] = await audit.recent(10);
    expect(event).toMatchObject({
      actor: 'system',
      accountId: '2002',
      action: 'delivery.failed',
      outcome: 'failure',
      detail: { channel: 'email', recipient: 'g***e@example.com', template: 'code', attempts: '3' },
    });
    expect(lines.join('\n')).not.toContain('918273');
  });

  it('gives up at once on a mailbox that does not exist', async () => {
    const { delivery, queue, audit } = await stack();
    const outcome = await delivery.emailNow({
      id: 'flow-f:code:1',
      to: 'nobody@example.com',
      template: { kind: 'code', purpose: 'account-link', code: '246810', validForMs: 600_000 },
    });
    expect(outcome).toBe('failed');
    expect(await queue.status('mail:flow-f:code:1')).toMatchObject({ state: 'failed', attemptsMade: 1 });
    expect((await audit.recent(1))[0]?.detail).toMatchObject({ reason: 'SMTP EENVELOPE (reply 550)' });
  });

  it('sends each mail once with two workers on one Redis', async () => {
    const prefix = uniquePrefix('two');
    const first = await stack({ prefix });
    const second = await stack({ prefix });
    const addresses = Array.from({ length: 40 }, (_, index) => `pair${index}@example.com`);
    await Promise.all(
      addresses.flatMap((to, index) =>
        [first, second].map(({ delivery }) =>
          delivery.email({ id: `pair:${index}`, to, template: { kind: 'identity-approved' } }),
        ),
      ),
    );
    await eventually(() => addresses.every((to) => smtp.mailsTo(to).length > 0), 15_000);
    await sleep(300);
    expect(addresses.map((to) => smtp.mailsTo(to).length)).toEqual(addresses.map(() => 1));
    const workers = [first, second].map(
      ({ lines }) => lines.filter((line) => line.includes('mail accepted')).length,
    );
    expect(workers[0]! + workers[1]!).toBe(40);
  });

  it('keeps no code, link or address in clear in Redis, before or after sending', async () => {
    const { delivery, prefix } = await stack({ worker: false });
    const link = 'https://accounts.example.com/reset?token=c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4OTAxMjM';
    await delivery.email({
      id: 'flow-g:reset:1',
      to: 'private.person@example.com',
      template: { kind: 'password-reset-link', link, validForMs: 172_800_000 },
    });
    const dump = async () => {
      const values: string[] = [];
      for (const key of await keysUnder(redis, prefix)) {
        if ((await redis.type(key)) === 'hash') values.push(JSON.stringify(await redis.hgetall(key)));
      }
      return values.join('\n');
    };
    const queued = await dump();
    expect(queued).toContain('sealed');
    expect(queued).not.toContain('c2VjcmV0LXRva2Vu');
    expect(queued).not.toContain('private.person@');
    const restarted = await stack({ prefix });
    await smtp.waitForMail('private.person@example.com');
    await eventually(async () => (await restarted.queue.status('mail:flow-g:reset:1')).state === 'completed');
    const done = await dump();
    expect(done).not.toContain('sealed');
    // The completed job is removed outright; only its done key (attempts, no payload) remains.
    expect((await keysUnder(redis, prefix)).filter((key) => /:\{jobs\}:j_/.test(key))).toEqual([]);
  });

  it('drains the mails it is sending when it shuts down', async () => {
    const { delivery, queue, prefix } = await stack();
    const addresses = Array.from({ length: 10 }, (_, index) => `drain${index}@example.com`);
    await Promise.all(
      addresses.map((to, index) =>
        delivery.email({ id: `drain:${index}`, to, template: { kind: 'identity-approved' } }),
      ),
    );
    await eventually(async () => (await queue.status('mail:drain:0')).state !== 'waiting');
    await queue.close();
    const states = await Promise.all(addresses.map((_, index) => queueStatusAfterClose(index)));
    // Still queued is fine: waiting, or delayed when its kind held its share of the worker
    // slots (a job refused a slot waits without spending an attempt).
    expect(states.every((state) => state === 'completed' || state === 'waiting' || state === 'delayed')).toBe(
      true,
    );
    const sent = addresses.filter((to) => smtp.mailsTo(to).length === 1).length;
    expect(sent).toBe(states.filter((state) => state === 'completed').length);
    expect(sent).toBeGreaterThan(0);

    async function queueStatusAfterClose(index: number) {
      const reader = new RedisJobQueue({
        topology: nodeTopology(sharedRedisUrl()),
        keyPrefix: prefix,
        clock: systemClock,
        settings: queueSettings(),
      });
      const { state } = await reader.status(`mail:drain:${index}`);
      await reader.close();
      return state;
    }
  });

  it('measures delivery latency from enqueue to SMTP accepted on loopback', async () => {
    const { delivery } = await stack({ settings: { concurrency: 5 } });
    const queued: number[] = [];
    for (let index = 0; index < 50; index += 1) {
      const to = `latency${index}@example.com`;
      const started = performance.now();
      await delivery.email({
        id: `latency:${index}`,
        to,
        template: { kind: 'code', purpose: 'step-up', code: '135790', validForMs: 600_000 },
      });
      queued.push((await smtp.waitForMail(to)).acceptedAt - started);
    }
    // The same SMTP exchange without the queue: smtp-server holds every greeting 100 ms to catch early talkers.
    const direct: number[] = [];
    const mailer = new SmtpMailer({ url: smtp.url, from: 'it@example.com' });
    for (let index = 0; index < 20; index += 1) {
      const to = `direct${index}@example.com`;
      const started = performance.now();
      await mailer.send({ to, subject: 'direct', text: 'direct', html: '<p>direct</p>' });
      direct.push((await smtp.waitForMail(to)).acceptedAt - started);
    }
    mailer.close();
    const [median, p95] = [percentile(queued, 50), percentile(queued, 95)];
    const directMedian = percentile(direct, 50);
    console.log(
      `delivery latency enqueue → SMTP accepted (loopback, 50 messages one at a time): median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; ` +
        `the bare SMTP exchange takes ${directMedian.toFixed(1)} ms (median), so the queue adds about ${(median - directMedian).toFixed(1)} ms`,
    );
    expect(queued).toHaveLength(50);
  });
});

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((sorted.length * p) / 100) - 1)] ?? 0;
}
