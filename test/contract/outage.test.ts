import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import { RedisCodeStore } from '../../src/adapters/redis/code-store.js';
import { RedisFlowSessionStore } from '../../src/adapters/redis/flow-session-store.js';
import { RedisLinkTokenStore } from '../../src/adapters/redis/link-token-store.js';
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

const codeRules = {
  ttlMs: 600_000,
  maxAttempts: 5,
  resendCooldownMs: 0,
  sendsPerHour: 1_000,
  failuresPerHour: 1_000,
  lockMs: 900_000,
};
const digest = (seed: string) => createHash('sha256').update(seed).digest('hex');

describeRedisOutage('code, link and flow stores', {
  build: ({ redis, keys, clock }) => ({
    codes: new RedisCodeStore(redis, keys, clock, codeRules),
    links: new RedisLinkTokenStore(redis, keys, clock),
    flows: new RedisFlowSessionStore(redis, keys, clock, { idleTimeoutMs: 1_800_000 }),
  }),
  operations: [
    {
      name: 'code issue',
      run: ({ codes }) =>
        codes.issue({
          accountId: '1001',
          flowId: randomUUID(),
          channel: 'sms',
          bindingDigest: digest('binding'),
          codeDigest: digest('code'),
        }),
    },
    {
      name: 'code verify',
      run: ({ codes }) =>
        codes.verify({ accountId: '1001', flowId: randomUUID(), codeDigest: digest('guess') }),
    },
    {
      name: 'link save',
      run: ({ links }) =>
        links.save(digest(randomUUID()), {
          accountId: '1001',
          kind: 'reset',
          credentialVersion: 1,
          flowId: null,
          expiresAt: 9e12,
        }),
    },
    { name: 'link find', run: ({ links }) => links.find(digest('unknown')) },
    { name: 'link revoke all', run: ({ links }) => links.revokeAll('1001') },
    {
      name: 'flow create',
      run: ({ flows }) =>
        flows.create(`slack:T1:${randomUUID()}`, randomUUID(), {
          machineId: 'stepUp',
          version: 1,
          snapshot: {},
        }),
    },
    { name: 'flow active', run: ({ flows }) => flows.active('slack:T1:U1') },
  ],
});
