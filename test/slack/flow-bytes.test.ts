import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { slack } from '../../src/messages/slack.js';
import { keysUnder } from '../support/redis.js';
import { hasButton } from '../support/slack/blocks.js';
import { useSlackHarness, type SlackHarness } from '../support/slack/harness.js';
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

/** A person whose security mobile and verification email let a step-up send a code. */
function steppingUp(h: SlackHarness, n: number) {
  return linkedPerson(h, `U0BYTES${n}`, {
    loginEmail: `bytes${n}@example.com`,
    accountName: `Bytes ${n}`,
    securityMobile: `+86138001381${String(n).padStart(2, '0')}`,
    verificationEmail: `bytes${n}.verify@example.com`,
  });
}

describe('Redis bytes of a live flow, through the real Bolt endpoint', () => {
  it('a security-mobile change waiting for its step-up code keeps its envelope within 700 B and all it made within 2,560 B, and the code still passes', async () => {
    const h = harness();
    // As in `npm run bench`: the shared streams exist and the account has its history already,
    // so what is counted is this flow's own.
    const earlier = await steppingUp(h, 0);
    await earlier.person.say('change my security mobile');
    await sms.code('+8613800138100');
    const { person, accountId } = await steppingUp(h, 1);
    await h.application.stores.audit.record({ actor: 'test', accountId, action: 'test', outcome: 'info' });
    await h.workspace.settle();
    const before = await bytesByKey();

    await person.say('change my security mobile');
    const code = await sms.code('+8613800138101');
    await h.workspace.settle();

    const made = [...(await bytesByKey())].filter(([key]) => !before.has(key));
    const total = made.reduce((sum, [, bytes]) => sum + bytes, 0);
    const envelopes = made.filter(([key]) => /:flow:[^:]+$/.test(key));
    console.log(
      `a flow waiting for its step-up code: envelope ${envelopes.map(([, bytes]) => bytes).join(', ')} B, ` +
        `${total} B in ${made.length} keys`,
    );
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]?.[1]).toBeLessThanOrEqual(700);
    expect(total).toBeLessThanOrEqual(2_560);
    // The step's claim and then its result share one key; the code's credential version has its own.
    expect(made.filter(([key]) => key.includes(':scratch:'))).toHaveLength(2);

    await person.click(slack.buttons.enterCode);
    await person.submit({ Code: code });
    expect(hasButton(person.latestDm().blocks, slack.buttons.enterValue)).toBe(true);
  });
});
