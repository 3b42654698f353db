import { Writable } from 'node:stream';
import { MemoryAuditLog } from '../../src/adapters/memory/audit-log.js';
import type { Clock } from '../../src/core/clock.js';
import { createLogger, type Logger } from '../../src/core/logger.js';
import type { AuditLog } from '../../src/ports/audit-log.js';
import type { JobQueue, JobQueueSettings } from '../../src/ports/job-queue.js';
import type { Mailer } from '../../src/ports/mailer.js';
import type { SmsSender } from '../../src/ports/sms-sender.js';
import { DeliveryService } from '../../src/services/notifications/delivery.js';
import { PayloadSealer } from '../../src/services/notifications/payload-seal.js';

/** Every log line as text, to check that no body, code or link reaches the log. */
export function capturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('debug', sink), lines };
}

const PAYLOAD_KEY = Buffer.alloc(32, 9);

export function queueSettings(overrides: Partial<JobQueueSettings> = {}): JobQueueSettings {
  return {
    attempts: 8,
    backoffMs: 40,
    dedupeMs: 3_600_000,
    failedRetentionMs: 3_600_000,
    concurrency: 5,
    ...overrides,
  };
}

export function deliveryService(parts: {
  queue: JobQueue;
  clock: Clock;
  mailer: Mailer;
  sms: SmsSender;
  audit?: AuditLog;
  logger: Logger;
  interactiveWaitMs?: number;
}): DeliveryService {
  const service = new DeliveryService({
    queue: parts.queue,
    mailer: parts.mailer,
    sms: parts.sms,
    audit: parts.audit ?? new MemoryAuditLog(parts.clock, { maxLength: 1000 }),
    sealer: new PayloadSealer(PAYLOAD_KEY),
    clock: parts.clock,
    logger: parts.logger,
    settings: { timeZone: 'UTC', interactiveWaitMs: parts.interactiveWaitMs ?? 3_000 },
  });
  service.registerHandlers();
  return service;
}

/** A mailer that must never be reached (SMS-only tests). */
export const unusedMailer: Mailer = {
  send: async () => {
    throw new Error('no mail expected in this test');
  },
};

export const unusedSms: SmsSender = {
  send: async () => {
    throw new Error('no text expected in this test');
  },
};
