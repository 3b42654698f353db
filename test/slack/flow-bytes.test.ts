import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { slack } from '../../src/messages/slack.js';
import { keysUnder } from '../support/redis.js';
import { hasButton } from '../support/slack/blocks.js';
import { useSlackHarness } from '../support/slack/harness.js';
import { linkedPerson } from '../support/slack/people.js';
import { SmsCapture } from '../support/sms-capture.js';

let sms: SmsCapture;
const harness = useSlackHarness(async () => {
  sms = await SmsCapture.start();
  return { env: { SMS_WEBHOOK_URL: sms.url, SMS_WEBHOOK_SECRET: sms.secret } };
});
afterAll(async () => {
  await sms.close();
});

/** What Redis says each key under the harness's prefix takes, by key. */
async function bytesByKey(): Promise<Map<string, number>> {
  const h = harness();
  const redis = h.application.stores.redis as Redis;
  const sizes = new Map<string, number>();
  for (const key of await keysUnder(redis, h.deps.config.redis.keyPrefix)) {
    sizes.set(key, (await redis.memory('USAGE', key, 'SAMPLES', 0)) ?? 0);
  }
  return sizes;
}

describe('Redis bytes of a live flow, through the real Bolt endpoint', () => {
  it('a security-mobile change waiting for its step-up code keeps its envelope within 700 B, and the code still passes', async () => {
    const h = harness();
    const { person } = await linkedPerson(h, 'U0BYTES1', {
      loginEmail: 'bytes1@example.com',
      accountName: 'Bytes One',
      securityMobile: '+8613800138101',
      verificationEmail: 'bytes1.verify@example.com',
    });
    await person.say('change my security mobile');
    const code = await sms.code('+8613800138101');
    await h.workspace.settle();

    const envelopes = [...(await bytesByKey())].filter(([key]) => /:flow:[^:]+$/.test(key));
    console.log(
      `envelope of a flow waiting for its step-up code: ${envelopes.map(([, bytes]) => bytes).join(', ')} B`,
    );
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]?.[1]).toBeLessThanOrEqual(700);

    await person.click(slack.buttons.enterCode);
    await person.submit({ Code: code });
    expect(hasButton(person.latestDm().blocks, slack.buttons.enterValue)).toBe(true);
  });
});
