import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { RedisRateLimiter } from '../../src/adapters/redis/rate-limiter.js';
import { ManualClock } from '../../src/core/clock.js';
import { web as words } from '../../src/messages/web.js';
import { GOOD_TOKEN } from './fake-pages.js';
import { startWebHarness, type WebHarness } from './harness.js';
import { connectShared, uniquePrefix } from '../support/redis.js';

const LIMIT = 3;
const badToken = (n: number) => `bad${String(n).padStart(3, '0')}aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`;

describe('reset link guessing limit (real web server, real Redis limiter)', () => {
  let redis: Redis;
  let web: WebHarness;
  beforeAll(async () => {
    redis = await connectShared();
    const limiter = new RedisRateLimiter(redis, new RedisKeys(uniquePrefix('guess')), new ManualClock());
    web = await startWebHarness(
      { tokenGuessesPerIpPerHour: LIMIT, trustProxyHops: 1 },
      { rateLimiter: limiter },
    );
  });
  afterAll(async () => {
    await web.close();
    redis.disconnect();
  });

  const open = async (address: string, token: string) => {
    const client = web.client({ 'x-forwarded-for': address });
    await client.get(`/reset/${token}`);
    return client;
  };

  it('limits only invalid openings and never refuses a valid link from the same address', async () => {
    const address = '203.0.113.20';
    for (let n = 0; n < LIMIT; n += 1) {
      expect((await (await open(address, badToken(n))).get('/reset')).status).toBe(404);
    }
    const refused = await (await open(address, badToken(LIMIT))).get('/reset');
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain(words.invalid.body);

    const valid = await (await open(address, GOOD_TOKEN)).get('/reset');
    expect(valid.status).toBe(200);
    expect(await valid.text()).toContain(words.reset.title);
  });

  it('counts parallel invalid openings atomically: exactly the limit pass', async () => {
    const clients = await Promise.all(
      Array.from({ length: 12 }, (_, n) => open('203.0.113.21', badToken(100 + n))),
    );
    const statuses = await Promise.all(clients.map(async (client) => (await client.get('/reset')).status));
    expect(statuses.filter((status) => status === 404)).toHaveLength(LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(12 - LIMIT);
  });

  it('counts an IPv6 address as its /64', async () => {
    for (let n = 0; n < LIMIT; n += 1) {
      expect((await (await open(`2001:db8:5:6::${n + 1}`, badToken(200 + n))).get('/reset')).status).toBe(
        404,
      );
    }
    expect((await (await open('2001:db8:5:6:ffff::9', badToken(210))).get('/reset')).status).toBe(429);
    expect((await (await open('2001:db8:5:7::1', badToken(211))).get('/reset')).status).toBe(404);
  });
});
