import { randomUUID } from 'node:crypto';
import { RedisAuditLog } from '../../src/adapters/redis/audit-log.js';
import { RedisDedupe } from '../../src/adapters/redis/dedupe.js';
import { RedisRateLimiter } from '../../src/adapters/redis/rate-limiter.js';
import { describeRedisOutage } from '../support/outage.js';

const subject = { tag: 'acct:1001', name: 'code-send:sms' };

describeRedisOutage('security stores', {
  build: ({ redis, keys, clock }) => ({
    limiter: new RedisRateLimiter(redis, keys, clock),
    dedupe: new RedisDedupe(redis, keys, clock),
    audit: new RedisAuditLog(redis, keys, clock, { maxLength: 100 }),
  }),
  operations: [
    {
      name: 'rate limiter hit (fixed)',
      run: ({ limiter }) => limiter.hit(subject, { limit: 1_000, windowMs: 60_000, mode: 'fixed' }),
    },
    {
      name: 'rate limiter hit (sliding)',
      run: ({ limiter }) => limiter.hit(subject, { limit: 1_000, windowMs: 60_000, mode: 'sliding' }),
    },
    {
      name: 'rate limiter peek',
      run: ({ limiter }) => limiter.peek(subject, { limit: 1_000, windowMs: 60_000, mode: 'fixed' }),
    },
    { name: 'rate limiter reset', run: ({ limiter }) => limiter.reset(subject) },
    { name: 'dedupe claim', run: ({ dedupe }) => dedupe.claim(`slack:event:${randomUUID()}`, 300_000) },
    {
      name: 'audit record',
      run: ({ audit }) => audit.record({ actor: 'system', action: 'outage.test', outcome: 'info' }),
    },
    { name: 'audit recent', run: ({ audit }) => audit.recent(10) },
  ],
});
