import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { EngineResult } from '../../src/engine/flow-engine.js';
import type { EngineParts } from '../../src/app/engine.js';
import { connectShared, dumpValues, keysUnder } from '../support/redis.js';
import { engineWorld, PASSWORD, type EngineWorld } from './harness.js';

/**
 * Every SPEC §3 flow end to end through the engine on the run's Redis with the real
 * services; codes are read from the mail and texts the loopback SMTP server and SMS gateway received. Each flow
 * switches to a new engine instance halfway, as after a process restart.
 */
const OWNER = 'slack:T1:U1';
const REVIEWER = 'UREVIEW';
const SECURITY_MOBILE = '+8613800135678';
const VERIFICATION_EMAIL = 'security@example.com';
const LOGIN_EMAIL = 'owner@example.com';

const sizes = new Map<string, number>();
const worlds: EngineWorld[] = [];
let world: EngineWorld;
let accountId: string;

beforeEach(async () => {
  world = await engineWorld({ isReviewer: (userId) => userId === REVIEWER });
  worlds.push(world);
  accountId = await world.createAccount({});
  await world.stores.directory.linkSlackUser(accountId, 'T1', 'U1');
});

afterAll(async () => {
  await Promise.all(worlds.map((w) => w.close()));
  const rows = [...sizes].map(([machine, bytes]) => `  ${machine.padEnd(24)} ${bytes} bytes`);
  console.log(`persisted envelope size at a mid-flow state:\n${rows.join('\n')}`);
});

function flowIdOf(result: EngineResult): string {
  if (result.status !== 'active') throw new Error(`expected an active flow, got ${JSON.stringify(result)}`);
  return result.flowId;
}

/** Measures the stored envelope, then continues on a fresh engine. */
async function restartMidFlow(machineId: string, owner: string, flowId: string): Promise<EngineParts> {
  const read = await world.stores.flowSessions.get(owner, flowId);
  if (read.status !== 'found') throw new Error(`flow ${flowId} is not stored: ${read.status}`);
  sizes.set(machineId, Buffer.byteLength(JSON.stringify(read.envelope)));
  return world.restart();
}

const viewName = (result: EngineResult): string | null =>
  result.status === 'active' || result.status === 'finished' ? (result.view?.meta.view ?? null) : null;

async function account() {
  const found = await world.stores.directory.getById(accountId);
  if (found === null) throw new Error('account gone');
  return found;
}

describe('SPEC §3 flows through the engine on Redis', () => {
  it('3.1 step-up: code by SMS, then the privileged window is open', async () => {
    const flowId = flowIdOf(await world.engine.start(OWNER, 'stepUp', {}));
    const next = await restartMidFlow('stepUp', OWNER, flowId);
    const code = await world.codeFor(SECURITY_MOBILE);
    const done = await next.engine.send(OWNER, flowId, { type: 'SUBMIT_CODE', code });
    expect(done).toMatchObject({ status: 'finished', output: { status: 'done' } });
    expect(await next.engine.privilegedUntil(accountId)).toBeGreaterThan(world.clock.now());
  });

  it('3.2 edit basic information: field errors, then saved', async () => {
    const flowId = flowIdOf(await world.engine.start(OWNER, 'editBasicInfo', {}));
    await world.engine.send(OWNER, flowId, { type: 'EDIT', section: 'name' });
    const next = await restartMidFlow('editBasicInfo', OWNER, flowId);
    const refused = await next.engine.send(OWNER, flowId, {
      type: 'SUBMIT_FORM',
      values: { accountName: '' },
    });
    expect(refused).toMatchObject({
      status: 'active',
      view: { context: { fieldErrors: { accountName: { key: 'accountName.empty' } } } },
    });
    const saved = await next.engine.send(OWNER, flowId, {
      type: 'SUBMIT_FORM',
      values: { accountName: 'Renamed Ltd' },
    });
    expect(saved).toMatchObject({ status: 'active', view: { notice: 'basicInfo.saved' } });
    expect((await account()).accountName).toBe('Renamed Ltd');
    expect(await next.engine.send(OWNER, flowId, { type: 'CLOSE' })).toMatchObject({ status: 'finished' });
  });

  it('3.3 contact mobile: code to the new number, saved', async () => {
    const flowId = flowIdOf(await world.engine.start(OWNER, 'changeContactMobile', {}));
    const entered = await world.engine.send(OWNER, flowId, { type: 'SUBMIT_VALUE', value: '+8613900139000' });
    expect(viewName(entered)).toBe('enterCode');
    const next = await restartMidFlow('changeContactMobile', OWNER, flowId);
    const code = await world.codeFor('+8613900139000');
    expect(await next.engine.send(OWNER, flowId, { type: 'SUBMIT_CODE', code })).toMatchObject({
      status: 'finished',
      output: { status: 'done' },
    });
    expect((await account()).contactNumber).toBe('+8613900139000');
  });

  it('3.4 security mobile: step-up, code to the new number, the old number and the verification email told', async () => {
    const flowId = flowIdOf(await world.engine.start(OWNER, 'changeSecurityMobile', {}));
    await world.engine.send(OWNER, flowId, {
      type: 'SUBMIT_CODE',
      code: await world.codeFor(SECURITY_MOBILE),
    });
    await world.engine.send(OWNER, flowId, { type: 'SUBMIT_VALUE', value: '+8613700137000' });
    const next = await restartMidFlow('changeSecurityMobile', OWNER, flowId);
    const code = await world.codeFor('+8613700137000');
    expect(await next.engine.send(OWNER, flowId, { type: 'SUBMIT_CODE', code })).toMatchObject({
      output: { status: 'done' },
    });
    expect((await account()).securityMobile).toBe('+8613700137000');
    await expect.poll(() => world.mailsTo(SECURITY_MOBILE).length).toBe(2);
    await expect.poll(() => world.mailsTo(VERIFICATION_EMAIL).length).toBe(1);
    expect(world.messages.map((m) => m.kind)).toContain('securityMobileChanged');
  });

  it('3.5 contact email: saved unverified, then verified by its code', async () => {
    const flowId = flowIdOf(await world.engine.start(OWNER, 'changeContactEmail', {}));
    await world.engine.send(OWNER, flowId, { type: 'SUBMIT_VALUE', value: 'contact@example.org' });
    expect((await account()).contactEmailVerified).toBe(false);
    const next = await restartMidFlow('changeContactEmail', OWNER, flowId);
    const code = await world.codeFor('contact@example.org');
    expect(await next.engine.send(OWNER, flowId, { type: 'SUBMIT_CODE', code })).toMatchObject({
      output: { status: 'done' },
    });
    expect(await account()).toMatchObject({
      contactEmail: 'contact@example.org',
      contactEmailVerified: true,
    });
  });

  it('3.6 verification email: step-up, code to the new address, the old one told', async () => {
    const flowId = flowIdOf(await world.engine.start(OWNER, 'changeVerificationEmail', {}));
    const next = await restartMidFlow('changeVerificationEmail', OWNER, flowId);
    await next.engine.send(OWNER, flowId, {
      type: 'SUBMIT_CODE',
      code: await world.codeFor(SECURITY_MOBILE),
    });
    await next.engine.send(OWNER, flowId, { type: 'SUBMIT_VALUE', value: 'new.security@example.org' });
    const code = await world.codeFor('new.security@example.org');
    expect(await next.engine.send(OWNER, flowId, { type: 'SUBMIT_CODE', code })).toMatchObject({
      output: { status: 'done' },
    });
    expect((await account()).verificationEmail).toBe('new.security@example.org');
    await expect.poll(() => world.mailsTo(VERIFICATION_EMAIL).length).toBe(1);
  });

  it('3.7 login email: step-up skipped inside the privileged window, the old address told', async () => {
    const stepUp = flowIdOf(await world.engine.start(OWNER, 'stepUp', {}));
    await world.engine.send(OWNER, stepUp, {
      type: 'SUBMIT_CODE',
      code: await world.codeFor(SECURITY_MOBILE),
    });
    const flowId = flowIdOf(await world.engine.start(OWNER, 'changeLoginEmail', {}));
    const entered = await world.engine.send(OWNER, flowId, {
      type: 'SUBMIT_VALUE',
      value: 'login@example.org',
    });
    expect(viewName(entered)).toBe('enterCode');
    const next = await restartMidFlow('changeLoginEmail', OWNER, flowId);
    const code = await world.codeFor('login@example.org');
    expect(await next.engine.send(OWNER, flowId, { type: 'SUBMIT_CODE', code })).toMatchObject({
      output: { status: 'done' },
    });
    expect((await account()).loginEmail).toBe('login@example.org');
    await expect.poll(() => world.mailsTo(LOGIN_EMAIL).length).toBe(1);
  });

  it('3.8 change password: step-up, a one-time page link, the page changes it and tells the flow', async () => {
    const flowId = flowIdOf(await world.engine.start(OWNER, 'changePassword', {}));
    const next = await restartMidFlow('changePassword', OWNER, flowId);
    const code = await world.codeFor(SECURITY_MOBILE);
    expect(viewName(await next.engine.send(OWNER, flowId, { type: 'SUBMIT_CODE', code }))).toBe(
      'openPasswordPage',
    );
    const url = next.engine.passwordLinkUrl(OWNER, flowId);
    expect(url).toMatch(new RegExp(`^${world.config.web.publicBaseUrl}/password/[A-Za-z0-9_-]{43}$`));
    expect(next.engine.passwordLinkUrl(OWNER, flowId)).toBeNull();
    const token = (url ?? '').split('/').at(-1) ?? '';
    expect(await next.passwordPages.changeOpen(token)).toEqual({ page: 'form', kind: 'change', errors: [] });
    const wrong = await next.passwordPages.changeSubmit(token, 'not-it', 'N3w-Secret!x', 'N3w-Secret!x');
    expect(wrong).toMatchObject({ page: 'form', errors: [expect.stringContaining('not right')] });
    expect(await next.passwordPages.changeSubmit(token, PASSWORD, 'N3w-Secret!x', 'N3w-Secret!x')).toEqual({
      page: 'done',
      kind: 'change',
    });
    expect(await next.passwordPages.changeOpen(token)).toEqual({ page: 'invalid' });
    expect(await next.engine.current(OWNER, flowId)).toEqual({ status: 'missing', flowId });
    expect((await world.services.passwords.authenticate(LOGIN_EMAIL, 'N3w-Secret!x')).ok).toBe(true);
    expect(world.messages.map((m) => m.kind)).toContain('passwordChanged');
  });

  it('3.8 the page link dies with its flow: after Cancel the page is invalid', async () => {
    const flowId = flowIdOf(await world.engine.start(OWNER, 'changePassword', {}));
    await world.engine.send(OWNER, flowId, {
      type: 'SUBMIT_CODE',
      code: await world.codeFor(SECURITY_MOBILE),
    });
    const token = (world.engine.passwordLinkUrl(OWNER, flowId) ?? '').split('/').at(-1) ?? '';
    expect(await world.passwordPages.changeOpen(token)).toMatchObject({ page: 'form' });
    await world.engine.cancel(OWNER, flowId);
    expect(await world.passwordPages.changeOpen(token)).toEqual({ page: 'invalid' });
    expect(await world.passwordPages.changeSubmit(token, PASSWORD, 'N3w-Secret!x', 'N3w-Secret!x')).toEqual({
      page: 'invalid',
    });
    expect((await world.services.passwords.authenticate(LOGIN_EMAIL, PASSWORD)).ok).toBe(true);
  });

  it('3.9 reset password: the same answer for any email, new password, identity check, link used once', async () => {
    const request = flowIdOf(await world.engine.start(OWNER, 'resetPassword', { entry: 'request' }));
    expect(
      await world.engine.send(OWNER, request, { type: 'SUBMIT_LOGIN_EMAIL', loginEmail: LOGIN_EMAIL }),
    ).toMatchObject({ status: 'finished', output: { reason: 'reset.linkOnItsWay' } });
    await world.passwordPages.forgot('nobody@example.org');
    await expect.poll(() => world.mailsTo(LOGIN_EMAIL).length).toBe(1);
    const link = /https?:\/\/\S+\/reset\/([A-Za-z0-9_-]{43})/.exec(world.mailsTo(LOGIN_EMAIL)[0] ?? '');
    const token = link?.[1] ?? '';
    expect(await world.passwordPages.resetOpen(token)).toEqual({ page: 'form', kind: 'reset', errors: [] });
    const weak = await world.passwordPages.resetSubmitPassword(token, 'short', 'short');
    expect(weak).toMatchObject({ page: 'form', kind: 'reset' });
    expect(weak.page === 'form' && weak.errors.length).toBeGreaterThan(0);
    const codePage = await world.passwordPages.resetSubmitPassword(
      token,
      'Brand-N3w-Pass!',
      'Brand-N3w-Pass!',
    );
    expect(codePage).toMatchObject({ page: 'code', channel: 'sms', canUseAlternate: true });
    const owner = `acct:${accountId}`;
    const read = await world.stores.flowSessions.get(owner, (await world.engine.active(owner))?.flowId ?? '');
    if (read.status === 'found') sizes.set('resetPassword', Buffer.byteLength(JSON.stringify(read.envelope)));
    expect(JSON.stringify(read)).not.toContain('Brand-N3w-Pass!');
    const next = world.restart();
    const done = await next.passwordPages.resetSubmitCode(token, await world.codeFor(SECURITY_MOBILE));
    expect(done).toEqual({ page: 'done', kind: 'reset' });
    expect(await next.passwordPages.resetOpen(token)).toEqual({ page: 'invalid' });
    expect((await world.services.passwords.authenticate(LOGIN_EMAIL, 'Brand-N3w-Pass!')).ok).toBe(true);
    const redis = await connectShared();
    try {
      const stored = await dumpValues(redis, await keysUnder(redis, world.config.redis.keyPrefix));
      expect(stored).not.toContain('Brand-N3w-Pass!');
      expect(stored).not.toContain(token);
    } finally {
      await redis.quit();
    }
  });

  it('3.10 identity verification: submitted, parked for days out of the way, approved by a reviewer', async () => {
    const flowId = flowIdOf(await world.engine.start(OWNER, 'identityVerification', {}));
    await world.engine.send(OWNER, flowId, { type: 'CHOOSE_SUBJECT', subject: 'individual' });
    const next = await restartMidFlow('identityVerification', OWNER, flowId);
    await next.engine.send(OWNER, flowId, { type: 'ACKNOWLEDGE_WARNINGS' });
    const details = {
      subject: 'individual' as const,
      documentType: 'passport' as const,
      fullLegalName: 'Ana Lima',
      documentNumber: 'E12345678',
      issuingRegion: 'BR',
    };
    const pending = await next.engine.send(OWNER, flowId, { type: 'SUBMIT_IDENTITY', details });
    expect(viewName(pending)).toBe('identityPending');
    expect((await account()).verification.status).toBe('pending');
    expect(world.posted).toEqual([
      expect.objectContaining({ owner: OWNER, flowId, accountId, submissionId: expect.any(String) }),
    ]);
    // Parked: not the person's active flow, and not subject to the idle timeout.
    expect(await next.engine.active(OWNER)).toBeNull();
    const other = flowIdOf(await next.engine.start(OWNER, 'editBasicInfo', {}));
    await next.engine.cancel(OWNER, other);
    const redis = await connectShared();
    try {
      const stored = await dumpValues(redis, await keysUnder(redis, world.config.redis.keyPrefix));
      expect(stored).not.toContain('E12345678');
    } finally {
      await redis.quit();
    }
    world.clock.advance(2 * 24 * 60 * 60 * 1000);
    const refused = await next.engine.send(OWNER, flowId, { type: 'REVIEW_APPROVE', reviewerId: 'UNOBODY' });
    expect(refused).toMatchObject({ status: 'active', view: { notice: expect.any(String) } });
    expect((await account()).verification.status).toBe('pending');
    const clicks = await Promise.all([
      next.engine.send(OWNER, flowId, { type: 'REVIEW_APPROVE', reviewerId: REVIEWER }),
      world.restart().engine.send(OWNER, flowId, { type: 'REVIEW_APPROVE', reviewerId: REVIEWER }),
    ]);
    expect(clicks.map((r) => r.status).sort()).toEqual(['already-handled', 'finished']);
    expect(clicks.find((r) => r.status === 'finished')).toMatchObject({
      output: { status: 'done', reason: 'identity.verified' },
    });
    expect((await account()).verification.status).toBe('verified');
    expect(await next.engine.current(OWNER, flowId)).toEqual({ status: 'missing', flowId });
  });

  it('3.10 rejected: the reason reaches the person, and days later they can still send it again', async () => {
    const flowId = flowIdOf(await world.engine.start(OWNER, 'identityVerification', {}));
    await world.engine.send(OWNER, flowId, { type: 'CHOOSE_SUBJECT', subject: 'individual' });
    await world.engine.send(OWNER, flowId, { type: 'ACKNOWLEDGE_WARNINGS' });
    const details = {
      subject: 'individual' as const,
      documentType: 'passport' as const,
      fullLegalName: 'Ana Lima',
      documentNumber: 'E87654321',
      issuingRegion: 'BR',
    };
    await world.engine.send(OWNER, flowId, { type: 'SUBMIT_IDENTITY', details });
    const rejected = await world.engine.send(OWNER, flowId, {
      type: 'REVIEW_REJECT',
      reviewerId: REVIEWER,
      reason: 'The photo page is unreadable',
    });
    expect(viewName(rejected)).toBe('identityRejected');
    expect((await account()).verification).toMatchObject({ status: 'rejected' });
    await expect
      .poll(() => world.mailsTo(LOGIN_EMAIL).join('\n'), { timeout: 3_000 })
      .toContain('photo page');

    world.clock.advance(3 * 24 * 60 * 60 * 1000);
    const again = await world.restart().engine.send(OWNER, flowId, { type: 'RESUBMIT' });
    expect(viewName(again)).toBe('identitySubject');
  });

  it('3.10 a reviewer cannot decide their own submission', async () => {
    const own = `slack:T1:${REVIEWER}`;
    const reviewerAccount = await world.createAccount({ loginEmail: 'reviewer@example.com' });
    await world.stores.directory.linkSlackUser(reviewerAccount, 'T1', REVIEWER);
    const flowId = flowIdOf(await world.engine.start(own, 'identityVerification', {}));
    await world.engine.send(own, flowId, { type: 'CHOOSE_SUBJECT', subject: 'individual' });
    await world.engine.send(own, flowId, { type: 'ACKNOWLEDGE_WARNINGS' });
    await world.engine.send(own, flowId, {
      type: 'SUBMIT_IDENTITY',
      details: {
        subject: 'individual',
        documentType: 'passport',
        fullLegalName: 'Rita Reviewer',
        documentNumber: 'K55501234',
        issuingRegion: 'PT',
      },
    });
    await world.engine.send(own, flowId, { type: 'REVIEW_APPROVE', reviewerId: REVIEWER });
    expect((await world.stores.directory.getById(reviewerAccount))?.verification.status).toBe('pending');
  });

  it('3.11 link Slack user: code to the login email of the profile, then linked', async () => {
    const owner = 'slack:T1:U2';
    const flowId = flowIdOf(
      await world.engine.start(owner, 'linkSlackUser', { slackProfileEmail: LOGIN_EMAIL }),
    );
    const next = await restartMidFlow('linkSlackUser', owner, flowId);
    const code = await world.codeFor(LOGIN_EMAIL);
    expect(await next.engine.send(owner, flowId, { type: 'SUBMIT_CODE', code })).toMatchObject({
      output: { status: 'done', reason: 'link.linked' },
    });
    expect((await world.stores.directory.getBySlackUser('T1', 'U2'))?.accountId).toBe(accountId);
  });
});

describe('engine guarantees on Redis', () => {
  it('applies a double submit once: one request wins, the other was already handled', async () => {
    const flowId = flowIdOf(await world.engine.start(OWNER, 'changeContactMobile', {}));
    const values = await Promise.all([
      world.engine.send(OWNER, flowId, { type: 'SUBMIT_VALUE', value: '+8613900139000' }),
      world.restart().engine.send(OWNER, flowId, { type: 'SUBMIT_VALUE', value: '+8613900139000' }),
    ]);
    expect(values.map((r) => r.status).sort()).toEqual(['active', 'already-handled']);
    const code = await world.codeFor('+8613900139000');
    const codes = await Promise.all([
      world.engine.send(OWNER, flowId, { type: 'SUBMIT_CODE', code }),
      world.restart().engine.send(OWNER, flowId, { type: 'SUBMIT_CODE', code }),
    ]);
    expect(codes.map((r) => r.status).sort()).toEqual(['already-handled', 'finished']);
    expect(world.mailsTo('+8613900139000')).toHaveLength(1);
    const redis = await connectShared();
    try {
      const stored = await dumpValues(redis, await keysUnder(redis, world.config.redis.keyPrefix));
      // Standing alone, as a code would be written; epoch-ms digits may hold any six-digit run.
      expect(stored).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
    } finally {
      await redis.quit();
    }
    const changes = (await world.stores.audit.recent(100)).filter(
      (e) => e.action === 'account.contactMobile',
    );
    expect(changes).toHaveLength(1);
  });

  it('ends a flow with junk in its envelope, audits it, and the next flow starts', async () => {
    const flowId = flowIdOf(await world.engine.start(OWNER, 'changeContactMobile', {}));
    const read = await world.stores.flowSessions.get(OWNER, flowId);
    if (read.status !== 'found') throw new Error('not stored');
    await world.stores.flowSessions.compareAndSet(OWNER, flowId, read.envelope.rev, {
      snapshot: ['junk', 42],
    });
    expect(await world.engine.current(OWNER, flowId)).toEqual({ status: 'ended', flowId, reason: 'corrupt' });
    const audit = await world.stores.audit.recent(20);
    expect(audit.some((e) => e.action === 'flow.ended' && e.flowId === flowId)).toBe(true);
    expect((await world.engine.start(OWNER, 'editBasicInfo', {})).status).toBe('active');
  });

  it('ends a flow written by another machine version and says why', async () => {
    const flowId = flowIdOf(await world.engine.start(OWNER, 'changeContactMobile', {}));
    const read = await world.stores.flowSessions.get(OWNER, flowId);
    if (read.status !== 'found') throw new Error('not stored');
    await world.stores.flowSessions.compareAndSet(OWNER, flowId, read.envelope.rev, {
      snapshot: read.envelope.snapshot,
      version: 99,
    });
    expect(await world.engine.send(OWNER, flowId, { type: 'SUBMIT_VALUE', value: '+8613900139000' })).toEqual(
      {
        status: 'ended',
        flowId,
        reason: 'version',
      },
    );
    expect(world.mailsTo('+8613900139000')).toHaveLength(0);
  });
});
