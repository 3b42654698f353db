import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { common } from '../../src/messages/common.js';
import type { PersonState } from '../../src/workbench/state.js';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.js';
import { startWorkbenchApp, type RunningWorkbench } from './harness.js';

/** The workbench on a Redis that hangs (SIGSTOP): every action answers, and the person is told in the DM. */
describe('workbench while Redis hangs', () => {
  let workbench: RunningWorkbench;
  let redis: RedisServerHandle;
  beforeAll(async () => {
    redis = await startRedisServer();
    workbench = await startWorkbenchApp({ environment: { REDIS_URL: redis.url } });
  }, 30_000);
  afterAll(async () => {
    redis?.resume();
    await workbench?.close();
    await redis?.dispose();
  });

  const state = async (person: string): Promise<PersonState> => {
    const response = await fetch(`${workbench.base}/workbench/api/state?person=${person}`);
    return ((await response.json()) as { state: PersonState }).state;
  };
  const post = (path: string, body: unknown) =>
    fetch(`${workbench.base}/workbench/api/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify(body),
    });

  it('a DM phrase, /account and the Home tab answer within 3 s and say "temporarily unavailable"', async () => {
    await post('say', { person: 'U0ALICE', text: 'hi' });
    const actions: [string, Record<string, string>][] = [
      ['say', { person: 'U0ALICE', text: 'change my mobile' }],
      ['say', { person: 'U0ALICE', text: '/account info' }],
      ['home', { person: 'U0ALICE' }],
    ];
    redis.pause();
    try {
      for (const [path, body] of actions) {
        const before = (await state('U0ALICE')).dm.messages.length;
        const started = performance.now();
        const response = await post(path, body);
        expect(response.status, path).toBe(200);
        expect(performance.now() - started, path).toBeLessThan(3_000);
        const told = (await state('U0ALICE')).dm.messages.slice(before).map((message) => message.text);
        expect(told, `${path} ${JSON.stringify(body)}`).toContain(common.temporarilyUnavailable);
      }
    } finally {
      redis.resume();
    }
  }, 60_000);
});
