import { describe, expect, it } from 'vitest';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { flowIds, type FlowId } from '../../src/engine/flow-registry.js';
import { slack } from '../../src/messages/slack.js';
import { hasButton, visibleText } from '../support/slack/blocks.js';
import { useSlackHarnessWithDeliveries, type SlackHarness } from '../support/slack/harness.js';
import { linkedPerson } from '../support/slack/people.js';
import type { SlackPerson } from '../support/slack/workspace.js';

const { harness, deliveries } = useSlackHarnessWithDeliveries();

/**
 * What version 2 of changeSecurityMobile stored while its step-up waited for the code: the
 * code loop lived in step-up itself then (state `enterCode`); version 3 runs it in a
 * code-challenge child, where this snapshot cannot be restored.
 */
const VERSION_2_AT_STEP_UP = {
  status: 'active',
  value: 'stepUp',
  historyValue: {},
  context: {
    idleTimeoutMs: 1_800_000,
    idleDeadline: 4_102_444_800_000,
    seenAt: 4_102_443_000_000,
    notice: null,
    reason: null,
    lastError: null,
    privilegedUntil: 0,
    privilegedWindowMs: 300_000,
    methods: { sms: true, email: true },
    newValue: null,
    taken: false,
    savedUnverified: false,
    fieldError: null,
    code: null,
    sends: 0,
    entries: 0,
  },
  children: {
    stepUp: {
      snapshot: {
        status: 'active',
        value: 'enterCode',
        historyValue: {},
        context: {
          idleTimeoutMs: 1_800_000,
          idleDeadline: 4_102_444_800_000,
          seenAt: 4_102_443_000_000,
          notice: null,
          reason: null,
          lastError: null,
          purpose: 'step-up',
          startedAt: 4_102_443_000_000,
          privilegedUntil: 0,
          privilegedWindowMs: 300_000,
          methods: { sms: true, email: true },
          channel: 'sms',
          code: {
            channel: 'sms',
            maskedTarget: '+86 138****5690',
            expiresAt: 4_102_443_600_000,
            resendAt: 4_102_443_060_000,
            attemptsLeft: null,
          },
          sends: 1,
        },
        children: {},
      },
      src: 'stepUp',
      syncSnapshot: false,
    },
  },
};

describe('a flow in progress when a new machine version is deployed', () => {
  it('is ended as an update, not as a damaged record, and the person can start again', async () => {
    const h = harness();
    const { person, accountId } = await linkedPerson(h, 'U0DEPLOY', {
      loginEmail: 'deploy@example.com',
      accountName: 'Deploy',
      securityMobile: '+8613800135690',
      verificationEmail: 'deploy.verify@example.com',
    });
    await person.say('change my security mobile');
    const code = await deliveries.sms.code('+8613800135690');

    // The deploy: what the previous version stored for this step replaces the new one's.
    const { flowSessions, audit } = h.application.stores;
    const owner = `slack:${h.fake.teamId}:U0DEPLOY`;
    const flowId = await flowSessions.active(owner);
    if (flowId === null) throw new Error('no flow started');
    const read = await flowSessions.get(owner, flowId);
    if (read.status !== 'found') throw new Error('flow not stored');
    // Version 2 stored the snapshot as XState persisted it, beside the flow's binding.
    await flowSessions.compareAndSet(owner, flowId, read.envelope.rev, {
      snapshot: { accountId, slackProfileEmail: null, state: VERSION_2_AT_STEP_UP },
      version: 2,
    });

    await person.click(slack.buttons.enterCode);
    await person.submit({ Code: code });
    expect(visibleText(person.latestDm().blocks)).toContain(slack.flowMessage.ended);
    const ended = (await audit.recent(20)).filter((event) => event.action === 'flow.ended');
    expect(ended.map((event) => event.detail?.reason)).toEqual(['version']);
    expect((await h.application.stores.directory.getById(accountId))?.securityMobile).toBe('+8613800135690');

    await person.say('change my security mobile');
    expect(hasButton(person.latestDm().blocks, slack.buttons.enterCode)).toBe(true);
  });
});

/** How each flow is started from Slack, and what its account needs for it to stay open. */
interface FlowCase {
  machineId: FlowId;
  start: (person: SlackPerson) => Promise<unknown>;
  /** The person is not linked to an account yet (linking is the flow). */
  unlinked?: boolean;
  /** The directory has locked the account (nothing to unlock otherwise). */
  locked?: boolean;
}

const FLOW_CASES: FlowCase[] = [
  {
    machineId: 'editBasicInfo',
    start: async (person) => {
      await person.say('hi');
      await person.click(slack.menu.info);
    },
  },
  { machineId: 'changeContactMobile', start: (person) => person.say('change my mobile') },
  { machineId: 'changeSecurityMobile', start: (person) => person.say('change my security mobile') },
  { machineId: 'changeContactEmail', start: (person) => person.say('change my email') },
  { machineId: 'changeVerificationEmail', start: (person) => person.say('change my verification email') },
  { machineId: 'changeLoginEmail', start: (person) => person.say('change my login email') },
  { machineId: 'changePassword', start: (person) => person.command('password') },
  { machineId: 'resetPassword', start: (person) => person.say('forgot password') },
  { machineId: 'identityVerification', start: (person) => person.say('verify my identity') },
  { machineId: 'unlockAccount', start: (person) => person.say('unlock my account'), locked: true },
  { machineId: 'linkSlackUser', start: (person) => person.say('hello'), unlinked: true },
];

/** The embedded directory never locks an account; mark it locked as an LDAP lockout would. */
async function lockInDirectory(h: SlackHarness, accountId: string): Promise<void> {
  const redis = h.application.stores.redis;
  if (!redis) throw new Error('the test expects Redis stores');
  const key = new RedisKeys(h.deps.config.redis.keyPrefix).account(accountId, 'account');
  const stored = JSON.parse((await redis.get(key)) ?? 'null') as { account: Record<string, unknown> };
  stored.account.directoryLockedAt = h.clock.now();
  await redis.set(key, JSON.stringify(stored), 'KEEPTTL');
}

describe('every flow in progress when its machine version changes', () => {
  it('has a case here for every flow the registry runs on its own', () => {
    // Step-up runs only inside the flows that step up.
    const standalone = flowIds.filter((id) => id !== 'stepUp');
    expect(FLOW_CASES.map((flow) => flow.machineId).sort()).toEqual([...standalone].sort());
  });

  let people = 0;
  it.each(FLOW_CASES.map((flow) => [flow.machineId, flow] as const))(
    '%s: the next click ends it as an update, and it starts again',
    async (machineId, flow) => {
      const h = harness();
      people += 1;
      const id = `U0VERSION${people}`;
      const email = `version${people}@example.com`;
      const { directory, flowSessions, audit } = h.application.stores;
      const account = await directory.create({
        loginEmail: email,
        accountName: `Version ${people}`,
        securityMobile: `+86138001366${String(people).padStart(2, '0')}`,
        verificationEmail: `version${people}.verify@example.com`,
      });
      if (!flow.unlinked) await directory.linkSlackUser(account.accountId, h.fake.teamId, id);
      if (flow.locked) await lockInDirectory(h, account.accountId);
      const person = h.workspace.person({ id, email });
      const owner = `slack:${h.fake.teamId}:${id}`;

      await flow.start(person);
      const open = await h.engine.active(owner);
      expect(open?.machineId).toBe(machineId);
      const flowId = open?.flowId ?? '';
      const read = await flowSessions.get(owner, flowId);
      if (read.status !== 'found') throw new Error('the flow is not stored');
      // The deploy: this flow was stored by a release with no migration to the running one.
      await flowSessions.compareAndSet(owner, flowId, read.envelope.rev, {
        snapshot: read.envelope.snapshot,
        version: 0,
      });

      await person.click(slack.buttons.cancel);
      expect(visibleText(person.latestDm().blocks)).toContain(slack.flowMessage.ended);
      const ended = (await audit.recent(50)).filter(
        (event) => event.action === 'flow.ended' && event.flowId === flowId,
      );
      expect(ended.map((event) => event.detail?.reason)).toEqual(['version']);
      expect(await h.engine.active(owner)).toBeNull();

      await flow.start(person);
      expect((await h.engine.active(owner))?.machineId).toBe(machineId);
    },
  );
});
