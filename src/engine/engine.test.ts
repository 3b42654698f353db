import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendTo, setup, StateMachine } from 'xstate';
import { stepUpMachine } from '../../machines/step-up.js';
import { engineWorld, type EngineWorld } from '../../test/engine/harness.js';
import { TemporarilyUnavailableError } from '../core/errors.js';
import { XStateFlowEngine } from './engine.js';
import type { FlowId } from './flow-registry.js';
import { snapshotMigrations } from './migrations.js';
import { capturedLogger } from '../../test/support/log-capture.js';

const OWNER = 'slack:T1:U1';
const IN_PROCESS = { redis: false };

let world: EngineWorld;
beforeEach(async () => {
  world = await engineWorld({}, IN_PROCESS);
});
afterEach(async () => {
  await world.close();
});

async function linkedAccount(): Promise<string> {
  const accountId = await world.createAccount({});
  await world.stores.directory.linkSlackUser(accountId, 'T1', 'U1');
  return accountId;
}

describe('flow engine on the in-process stores', () => {
  it('runs a step-up flow to its end and opens the privileged window', async () => {
    const accountId = await linkedAccount();
    const started = await world.engine.start(OWNER, 'stepUp', {});
    expect(started).toMatchObject({ status: 'active', view: { meta: { view: 'enterCode' } } });
    if (started.status !== 'active') throw new Error('not active');
    const code = await world.codeFor('+8613800135678');
    const done = await world.engine.send(OWNER, started.flowId, { type: 'SUBMIT_CODE', code });
    expect(done).toMatchObject({ status: 'finished', output: { status: 'done', reason: 'stepUp.verified' } });
    expect(await world.engine.privilegedUntil(accountId)).toBe(
      world.clock.now() + world.config.flows.privilegedWindowMs,
    );
    expect(await world.engine.active(OWNER)).toBeNull();
    expect(await world.engine.current(OWNER, started.flowId)).toEqual({
      status: 'missing',
      flowId: started.flowId,
    });
  });

  it('provides effects to a child machine whatever name its parent gives it', async () => {
    await linkedAccount();
    // A parent that invokes step-up under a name of its own: nothing in the engine knows it.
    const guarded = setup({ actors: { confirmIdentity: stepUpMachine } }).createMachine({
      id: 'guardedProbe',
      version: '1',
      initial: 'confirming',
      states: {
        confirming: {
          meta: { view: 'delegated', child: 'stepUp' },
          invoke: {
            id: 'stepUp',
            src: 'confirmIdentity',
            input: () => ({
              now: world.clock.now(),
              idleTimeoutMs: world.config.flows.idleTimeoutMs,
              privilegedUntil: 0,
              privilegedWindowMs: world.config.flows.privilegedWindowMs,
              methods: { sms: true, email: true },
              purpose: 'step-up' as const,
            }),
            onDone: 'confirmed',
          },
          on: { SUBMIT_CODE: { actions: sendTo('stepUp', ({ event }) => event) } },
        },
        confirmed: {
          type: 'final',
          meta: { view: 'finished', outcome: 'done' },
          output: { status: 'done', reason: 'stepUp.verified' },
        },
      },
      output: { status: 'done', reason: 'stepUp.verified' },
    });
    const engine = new XStateFlowEngine(world.effects, {
      flows: { guardedProbe: { machine: guarded, needsAccount: () => true, input: () => ({}) } },
    });
    const started = await engine.start(OWNER, 'guardedProbe' as FlowId, {});
    expect(started).toMatchObject({ status: 'active', view: { meta: { view: 'enterCode' } } });
    if (started.status !== 'active') throw new Error('not active');
    const code = await world.codeFor('+8613800135678');
    expect(await engine.send(OWNER, started.flowId, { type: 'SUBMIT_CODE', code })).toMatchObject({
      status: 'finished',
      output: { status: 'done' },
    });
  });

  it('offers resume or cancel when another flow is open, and replaces it on request', async () => {
    await linkedAccount();
    const first = await world.engine.start(OWNER, 'editBasicInfo', {});
    if (first.status !== 'active') throw new Error('not active');
    expect(await world.engine.start(OWNER, 'stepUp', {})).toEqual({
      status: 'conflict',
      activeFlowId: first.flowId,
      activeMachineId: 'editBasicInfo',
    });
    const second = await world.engine.start(OWNER, 'stepUp', {}, { replaceActive: true });
    expect(second.status).toBe('active');
    expect(await world.engine.current(OWNER, first.flowId)).toEqual({
      status: 'missing',
      flowId: first.flowId,
    });
  });

  it('says a flow idle too long has expired', async () => {
    await linkedAccount();
    const started = await world.engine.start(OWNER, 'editBasicInfo', {});
    if (started.status !== 'active') throw new Error('not active');
    world.clock.advance(world.config.flows.idleTimeoutMs + 1);
    expect(await world.engine.current(OWNER, started.flowId)).toEqual({
      status: 'expired',
      flowId: started.flowId,
    });
  });

  it('ends a flow whose snapshot is junk, audits it and keeps working', async () => {
    await linkedAccount();
    const started = await world.engine.start(OWNER, 'editBasicInfo', {});
    if (started.status !== 'active') throw new Error('not active');
    const read = await world.stores.flowSessions.get(OWNER, started.flowId);
    if (read.status !== 'found') throw new Error('not stored');
    await world.stores.flowSessions.compareAndSet(OWNER, started.flowId, read.envelope.rev, {
      snapshot: {
        accountId: null,
        slackProfileEmail: null,
        state: { value: 'nowhere', status: 'active', context: 3 },
      },
    });
    expect(await world.engine.send(OWNER, started.flowId, { type: 'CLOSE' })).toEqual({
      status: 'ended',
      flowId: started.flowId,
      reason: 'corrupt',
    });
    const audit = await world.stores.audit.recent(5);
    expect(audit.some((e) => e.action === 'flow.ended' && e.detail?.reason === 'corrupt')).toBe(true);
    expect((await world.engine.start(OWNER, 'editBasicInfo', {})).status).toBe('active');
  });

  it('ends a flow stored by an older machine version when no migration exists', async () => {
    await linkedAccount();
    const started = await world.engine.start(OWNER, 'editBasicInfo', {});
    if (started.status !== 'active') throw new Error('not active');
    const read = await world.stores.flowSessions.get(OWNER, started.flowId);
    if (read.status !== 'found') throw new Error('not stored');
    await world.stores.flowSessions.compareAndSet(OWNER, started.flowId, read.envelope.rev, {
      snapshot: read.envelope.snapshot,
      version: 0,
    });
    expect(await world.engine.current(OWNER, started.flowId)).toEqual({
      status: 'ended',
      flowId: started.flowId,
      reason: 'version',
    });
  });

  it('migrates a flow of an older version when a migration exists', async () => {
    await linkedAccount();
    const started = await world.engine.start(OWNER, 'editBasicInfo', {});
    if (started.status !== 'active') throw new Error('not active');
    const read = await world.stores.flowSessions.get(OWNER, started.flowId);
    if (read.status !== 'found') throw new Error('not stored');
    await world.stores.flowSessions.compareAndSet(OWNER, started.flowId, read.envelope.rev, {
      snapshot: read.envelope.snapshot,
      version: 0,
    });
    const migrate = vi.fn((snapshot: unknown) => snapshot as never);
    const engine = new XStateFlowEngine(world.effects, {
      migrations: snapshotMigrations().register('editBasicInfo', 0, migrate),
    });
    expect(await engine.send(OWNER, started.flowId, { type: 'EDIT', section: 'name' })).toMatchObject({
      status: 'active',
      view: { meta: { view: 'editBasicInfo' } },
    });
    expect(migrate).toHaveBeenCalledTimes(1);
    const after = await world.stores.flowSessions.get(OWNER, started.flowId);
    expect(after.status === 'found' && after.envelope.version).toBe(2);
  });

  it('persists nothing and says unavailable when an effect does not settle in time', async () => {
    const hanging = { send: () => new Promise<void>(() => undefined) };
    await world.close();
    world = await engineWorld({ messenger: hanging, options: { settleTimeoutMs: 50 } }, IN_PROCESS);
    const owner = 'slack:T1:U7';
    const started = await world.engine.start(owner, 'linkSlackUser', {
      slackProfileEmail: 'none@example.org',
    });
    expect(started).toMatchObject({ status: 'active', view: { meta: { view: 'noAccountMatch' } } });
    if (started.status !== 'active') throw new Error('not active');
    const before = await world.stores.flowSessions.get(owner, started.flowId);
    expect(await world.engine.send(owner, started.flowId, { type: 'NOTIFY_SUPPORT' })).toEqual({
      status: 'unavailable',
    });
    expect(await world.stores.flowSessions.get(owner, started.flowId)).toEqual(before);
  });

  it('says unavailable and changes nothing when the store is down', async () => {
    await linkedAccount();
    const started = await world.engine.start(OWNER, 'editBasicInfo', {});
    if (started.status !== 'active') throw new Error('not active');
    vi.spyOn(world.stores.flowSessions, 'get').mockRejectedValueOnce(
      new TemporarilyUnavailableError('flows.get'),
    );
    expect(await world.engine.send(OWNER, started.flowId, { type: 'CLOSE' })).toEqual({
      status: 'unavailable',
    });
    expect((await world.engine.current(OWNER, started.flowId)).status).toBe('active');
  });

  it('cancels a flow and forgets it', async () => {
    await linkedAccount();
    const started = await world.engine.start(OWNER, 'changeContactMobile', {});
    if (started.status !== 'active') throw new Error('not active');
    expect(await world.engine.cancel(OWNER, started.flowId)).toMatchObject({
      status: 'finished',
      output: { status: 'cancelled', reason: 'flow.cancelled' },
    });
    expect(await world.engine.active(OWNER)).toBeNull();
  });

  it('sends at most the configured number of reset emails per hour, answering the same', async () => {
    await world.createAccount({ loginEmail: 'reset@example.com' });
    const limit = world.config.links.resetEmailsPerHour;
    for (let i = 0; i <= limit; i++) await world.passwordPages.forgot('reset@example.com');
    await expect.poll(() => world.mailsTo('reset@example.com').length).toBe(limit);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(world.mailsTo('reset@example.com')).toHaveLength(limit);
  });

  it('starts a Slack user without an account only on the link flow', async () => {
    await expect(world.engine.start('slack:T1:U9', 'editBasicInfo', {})).rejects.toThrow('no linked account');
    expect((await world.engine.start('slack:T1:U9', 'linkSlackUser', {})).status).toBe('active');
  });

  it('refuses every flow and every reset email while self-service is locked', async () => {
    const accountId = await linkedAccount();
    await world.stores.directory.setSelfServiceLock(accountId, true, 'reported by the owner');
    expect(await world.engine.start(OWNER, 'changeContactMobile', {})).toEqual({ status: 'locked' });
    expect(await world.engine.active(OWNER)).toBeNull();
    await world.passwordPages.forgot('owner@example.com');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(world.mailsTo('owner@example.com')).toEqual([]);
    const refusals = await world.stores.audit.recent(5);
    expect(refusals.map((event) => `${event.action}:${event.outcome}`)).toEqual(
      expect.arrayContaining(['flow.start:refused', 'password.reset-request:refused']),
    );
  });

  it('keeps a filed identity submission pending when its review card cannot be posted', async () => {
    const down = async () => {
      throw new Error('channel_not_found');
    };
    await world.close();
    world = await engineWorld(
      { reviewChannel: { postSubmission: down, updateDecision: down, remindOverdue: down } },
      IN_PROCESS,
    );
    const accountId = await linkedAccount();
    const started = await world.engine.start(OWNER, 'identityVerification', {});
    if (started.status !== 'active') throw new Error('not active');
    await world.engine.send(OWNER, started.flowId, { type: 'CHOOSE_SUBJECT', subject: 'individual' });
    await world.engine.send(OWNER, started.flowId, { type: 'ACKNOWLEDGE_WARNINGS' });
    const pending = await world.engine.send(OWNER, started.flowId, {
      type: 'SUBMIT_IDENTITY',
      details: {
        subject: 'individual',
        documentType: 'passport',
        fullLegalName: 'Ana Lima',
        documentNumber: 'E12345678',
        issuingRegion: 'BR',
      },
    });
    expect(pending).toMatchObject({ status: 'active', view: { meta: { view: 'identityPending' } } });
    expect((await world.stores.directory.getById(accountId))?.verification.status).toBe('pending');
    const events = await world.stores.audit.recent(10);
    expect(events.map((event) => `${event.action}:${event.outcome}`)).toContain(
      'identity.review-card:failure',
    );
  });

  it('logs a failed effect by its kind, never its message, and keeps no error text in the flow', async () => {
    const { logger, lines } = capturedLogger();
    await world.close();
    world = await engineWorld({}, { ...IN_PROCESS, logger });
    await linkedAccount();
    const started = await world.engine.start(OWNER, 'editBasicInfo', {});
    if (started.status !== 'active') throw new Error('not active');
    await world.engine.send(OWNER, started.flowId, { type: 'EDIT', section: 'name' });
    vi.spyOn(world.stores.directory, 'update').mockRejectedValueOnce(
      Object.assign(new Error('refused Secret Name Ltd'), { code: 'DIRECTORY_REFUSED' }),
    );
    const failed = await world.engine.send(OWNER, started.flowId, {
      type: 'SUBMIT_FORM',
      values: { accountName: 'Secret Name Ltd' },
    });
    expect(failed).toMatchObject({ status: 'active', view: { notice: 'flow.effectFailed' } });
    const logged = lines.filter((line) => line.includes('flow effect failed'));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0] ?? '{}')).toMatchObject({
      effect: 'editBasicInfo/saveBasicInfo',
      err: 'Error: DIRECTORY_REFUSED',
    });
    expect(lines.join('')).not.toContain('Secret Name');
    const stored = await world.stores.flowSessions.get(OWNER, started.flowId);
    expect(JSON.stringify(stored)).not.toContain('Secret Name');
  });

  it('provides each machine its effects once, not on every step', async () => {
    await linkedAccount();
    const provide = vi.spyOn(StateMachine.prototype, 'provide');
    try {
      const started = await world.engine.start(OWNER, 'changeSecurityMobile', {});
      if (started.status !== 'active') throw new Error('not active');
      await world.engine.send(OWNER, started.flowId, { type: 'RESEND' });
      await world.engine.current(OWNER, started.flowId);
      await world.engine.cancel(OWNER, started.flowId);
      expect(provide).not.toHaveBeenCalled();
    } finally {
      provide.mockRestore();
    }
  });
});
