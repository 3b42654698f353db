import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFailFastRedis, waitUntilReady } from '../../src/adapters/redis/connection.js';
import { common } from '../../src/messages/common.js';
import { flows } from '../../src/messages/flows.js';
import { slack } from '../../src/messages/slack.js';
import { servedAgain } from '../support/failover.js';
import { visibleText } from '../support/slack/blocks.js';
import { startSlackHarness, type SlackHarness } from '../support/slack/harness.js';
import { startRedisCluster, type RedisClusterHandle } from '../support/redis-topologies.js';
import { SmsCapture } from '../support/sms-capture.js';

/**
 * The app on a real Redis Cluster with a replica per master: a flow is started, the master
 * holding the account is killed, the cluster promotes its replica, and the flow finishes.
 * In the gap every call answers "temporarily unavailable"; nothing written before is lost.
 *
 * @module-tag topology
 */
let cluster: RedisClusterHandle;
let sms: SmsCapture;
let h: SlackHarness;

beforeAll(async () => {
  [cluster, sms] = await Promise.all([startRedisCluster({ replicas: true }), SmsCapture.start()]);
  h = await startSlackHarness({
    env: {
      REDIS_CLUSTER_NODES: cluster.nodes.map((node) => `${node.host}:${node.port}`).join(','),
      SMS_WEBHOOK_URL: sms.url,
      SMS_WEBHOOK_SECRET: sms.secret,
    },
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await Promise.all([cluster?.dispose(), sms?.close()]);
});

/**
 * Waits until the replica holds every write its master acknowledged under `hashTag`, as a
 * steady system does: a write in that slot, then WAIT, which replication order makes cover
 * all earlier ones.
 */
async function replicated(masterPort: number, hashTag: string): Promise<void> {
  const master = createFailFastRedis(`redis://127.0.0.1:${masterPort}`);
  try {
    await waitUntilReady(master);
    await master.set(`replication-probe:{${hashTag}}`, '1');
    expect(await master.wait(1, 2_000)).toBe(1);
  } finally {
    master.disconnect();
  }
}

async function slotOf(hashTag: string): Promise<number> {
  return Number(await h.application.stores.redis?.cluster('KEYSLOT', hashTag));
}

describe('Redis Cluster replica failover under a running flow', () => {
  it('a flow whose master dies finishes on the promoted replica; nothing is lost or sent twice', async () => {
    const stores = h.application.stores;
    const account = await stores.directory.create({
      loginEmail: 'cluster-failover@example.com',
      accountName: 'Cluster Fail Over',
      securityMobile: '+8613800135901',
    });
    // A Slack user whose flow lives on the same master as the account, so the kill hits both.
    const accountMaster = await cluster.masterPort(await slotOf(`acct:${account.accountId}`));
    let userId = '';
    for (let candidate = 1; !userId; candidate++) {
      const id = `U0CFAIL${candidate}`;
      if ((await cluster.masterPort(await slotOf(`slack:${h.fake.teamId}:${id}`))) === accountMaster)
        userId = id;
    }
    await stores.directory.linkSlackUser(account.accountId, h.fake.teamId, userId);
    const person = h.workspace.person({ id: userId, email: account.loginEmail });
    const owner = `slack:${h.fake.teamId}:${userId}`;

    await person.say('change my security mobile');
    await person.click(slack.buttons.enterCode);
    await person.submit({ Code: await sms.code('+8613800135901', 1) });
    expect(visibleText(person.latestDm().blocks)).toContain(slack.buttons.enterValue);
    const flowId = await stores.flowSessions.active(owner);
    expect(flowId).not.toBeNull();

    await person.click(slack.buttons.enterValue);
    const slot = await slotOf(owner);
    const oldMaster = await cluster.masterPort(slot);
    await replicated(oldMaster, owner);
    const victim = cluster.servers.find((server) => server.port === oldMaster);
    const killedAt = performance.now();
    await victim?.kill();

    // While the slot has no master, a step is refused with the one "try again" sentence.
    const before = h.fake.calls.length;
    const during = await person.submit({ 'New security mobile': '+86 139 0013 9901' });
    expect(during.status).toBeLessThan(500);
    expect(during.body + JSON.stringify(h.fake.calls.slice(before))).toContain(common.temporarilyUnavailable);

    // Every read of the flow in the gap fails closed, none past the 3-second window; the
    // first that works finds the flow and the account as they were.
    const gap = await servedAgain(() => stores.flowSessions.active(owner), killedAt);
    expect(gap.value).toBe(flowId);
    // The node asked here may learn of the promotion a moment after the one the app asked.
    await vi.waitFor(async () => expect(await cluster.masterPort(slot)).not.toBe(oldMaster), {
      timeout: 10_000,
      interval: 100,
    });
    expect((await stores.directory.getById(account.accountId))?.securityMobile).toBe('+8613800135901');
    expect(gap.refused).toBeGreaterThan(0);
    expect(gap.slowestMs).toBeLessThan(3_000);
    // The measured gap goes into the run's output for the deployment notes (README "Deploying").
    console.info(`cluster replica failover gap: ${Math.round(gap.gapMs)} ms (${gap.refused} refused reads)`);

    // The flow goes on where it was, from its own message, on the promoted replica.
    const flowMessage = () => person.dmMessages()[0];
    await person.click(slack.buttons.enterValue, flowMessage());
    await person.submit({ 'New security mobile': '+86 139 0013 9901' });
    await person.click(slack.buttons.enterCode, flowMessage());
    await person.submit({ Code: await sms.code('+8613900139901', 1) });
    expect(visibleText(flowMessage()?.blocks)).toContain(flows['change.saved']);
    expect((await stores.directory.getById(account.accountId))?.securityMobile).toBe('+8613900139901');

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sms.messages().filter((message) => message.to === '+8613900139901')).toHaveLength(1);
    // The old number: its step-up code and the change notice, each once.
    expect(sms.messages().filter((message) => message.to === '+8613800135901')).toHaveLength(2);
  }, 60_000);
});
