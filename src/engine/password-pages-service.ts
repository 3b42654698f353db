import { createHash, randomBytes } from 'node:crypto';
import type { FlowMessageKey } from '../../machines/index.js';
import { messages } from '../messages/catalog.js';
import { flowText, flowTimings } from '../messages/flows.js';
import { fieldErrorText } from '../messages/validation.js';
import { TemporarilyUnavailableError } from '../core/errors.js';
import { isWellFormedCode } from '../services/codes.js';
import { HashingBusyError } from '../services/credentials/index.js';
import type { ValidLink } from '../services/link-tokens.js';
import type { PasswordChangeResult } from '../services/passwords.js';
import type { EffectDependencies } from './effects/index.js';
import { flowTag } from './effects/context.js';
import { alarmOwner } from './effects/owner-alarm.js';
import { linkOwnerName, sendResetLinkAfterAnswer } from './effects/passwords.js';
import type { XStateFlowEngine } from './engine.js';
import type { EngineResult, FlowEnding, FlowEventWithoutNow } from './flow-engine.js';
import type { PageState, PasswordPages } from './password-pages.js';
import { accountOwner } from '../domain/flow-owner.js';

const INVALID: PageState = { page: 'invalid' };
const SAVING = 'password-saving';
/** Longer than a bcrypt hash and a save take; a crashed save frees the link after it. */
const SAVING_HOLD_MS = 30_000;
const UNAVAILABLE: PageState = { page: 'unavailable' };

/** The reset flow of one link: the id is derived from the token's digest, never the token. */
export function resetFlowId(token: string): string {
  return `reset-${createHash('sha256').update(token, 'utf8').digest('base64url').slice(0, 32)}`;
}

/**
 * The password pages over the engine and the account core. Opening a page only peeks at
 * its link; the reset link is consumed by the engine's commit effect after the identity
 * check, the change link by the password change itself in `changeSubmit`.
 */
export class EnginePasswordPages implements PasswordPages {
  constructor(
    private readonly engine: XStateFlowEngine,
    private readonly deps: EffectDependencies,
  ) {}

  private sentence(key: FlowMessageKey | null | undefined): string | null {
    return key ? flowText(key, flowTimings(this.deps.config)) : null;
  }

  /** Answers at once and looks the account up afterwards (see sendResetLinkAfterAnswer). */
  forgot(loginEmail: string): Promise<void> {
    sendResetLinkAfterAnswer(this.deps, loginEmail, 'web', `forgot-${randomBytes(12).toString('base64url')}`);
    return Promise.resolve();
  }

  resetOpen(token: string): Promise<PageState> {
    return this.withResetLink(
      token,
      async (link) => {
        const current = await this.engine.current(owner(link), resetFlowId(token));
        return current.status === 'missing' || current.status === 'expired'
          ? { page: 'form', kind: 'reset', errors: [] }
          : this.pageOf(current, 'reset');
      },
      false,
    );
  }

  resetSubmitPassword(token: string, password: string, confirmation: string): Promise<PageState> {
    return this.withResetLink(token, async (link) => {
      const flowId = resetFlowId(token);
      const existing = await this.engine.current(owner(link), flowId);
      if (existing.status !== 'active') {
        const started = await this.engine.start(
          owner(link),
          'resetPassword',
          { entry: 'page', linkExpiresAt: link.expiresAt },
          { accountId: link.accountId, flowId, replaceActive: true },
          { resetToken: token },
        );
        const joined = started.status === 'conflict' && started.activeFlowId === flowId;
        if (started.status !== 'active' && !joined) return this.pageOf(started, 'reset');
      }
      return this.resetEvent(token, link, { type: 'SUBMIT_NEW_PASSWORD', password, confirmation });
    });
  }

  resetSubmitCode(token: string, code: string): Promise<PageState> {
    return this.withResetLink(token, async (link) => {
      // Not a code at all (empty, letters, full-width digits): refused without spending a try.
      if (!isWellFormedCode(code)) return this.malformedCode(token, link);
      return this.resetEvent(token, link, { type: 'SUBMIT_CODE', code });
    });
  }

  private async malformedCode(token: string, link: ValidLink): Promise<PageState> {
    const page = this.pageOf(await this.engine.current(owner(link), resetFlowId(token)), 'reset');
    return page.page === 'code'
      ? { ...page, notice: messages.codes.malformedNotCounted(this.deps.config.codes.maxAttempts) }
      : page;
  }

  resetResend(token: string): Promise<PageState> {
    return this.withResetLink(token, (link) => this.resetEvent(token, link, { type: 'RESEND' }));
  }

  resetUseAlternate(token: string): Promise<PageState> {
    return this.withResetLink(token, (link) => this.resetEvent(token, link, { type: 'USE_ALTERNATE' }));
  }

  async changeOpen(token: string): Promise<PageState> {
    return this.safely('change', async () => {
      const verdict = await this.deps.linkTokens.peek(token, 'password-change');
      return verdict.ok && (await this.flowAwaitsPage(verdict.link.flowId))
        ? { page: 'form', kind: 'change', errors: [] }
        : INVALID;
    });
  }

  async changeSubmit(
    token: string,
    current: string,
    password: string,
    confirmation: string,
  ): Promise<PageState> {
    return this.safely('change', async () => {
      const { deps } = this;
      const verdict = await deps.linkTokens.peek(token, 'password-change');
      if (!verdict.ok || !(await this.flowAwaitsPage(verdict.link.flowId))) return INVALID;
      const { accountId, flowId } = verdict.link;
      const actor = `web:acct:${accountId}`;
      const check = await deps.passwords.verifyCurrent(accountId, current, actor);
      if (!check.ok && check.reason === 'cooling-down') {
        if (check.started) await this.alarmCooldown(accountId, check.retryAt, flowId, actor);
        await this.tellFlow(flowId, 'cooledDown');
        return { page: 'cooldown', retryAt: check.retryAt };
      }
      if (!check.ok && check.reason === 'directory-locked') {
        return form('change', [messages.directory.lockedOut]);
      }
      if (!check.ok) return form('change', [messages.engine.wrongCurrentPassword(check.attemptsLeft)]);
      if (password !== confirmation) return form('change', [messages.engine.passwordsDiffer]);
      const policy = await deps.passwords.check(accountId, password);
      if (!policy.ok)
        return form(
          'change',
          policy.reason === 'policy' ? policy.failures.map((f) => fieldErrorText(f.error)) : [],
        );
      if (flowId === null) return INVALID;
      // Saving is what uses the link up: the new password bumps the credential version the
      // link is bound to. Until then one save at a time holds the link, and gives it back
      // when the save fails (an outage), so the person can try again on the same page.
      if (!(await deps.scratch.claim(flowTag(flowId), SAVING, SAVING_HOLD_MS))) return INVALID;
      let changed: PasswordChangeResult | null = null;
      try {
        changed = await deps.passwords.change(accountId, password, actor);
      } finally {
        if (!changed?.ok) await deps.scratch.delete(flowTag(flowId), SAVING).catch(() => undefined);
      }
      if (changed === null || !changed.ok)
        return form(
          'change',
          changed?.reason === 'policy' ? changed.failures.map((f) => fieldErrorText(f.error)) : [],
        );
      await deps.reminders.schedulePasswordReminder({
        accountId,
        changedAt: changed.changedAt ?? deps.clock.now(),
      });
      await this.tellFlow(flowId, 'changed');
      return { page: 'done', kind: 'change' };
    });
  }

  /**
   * The link is bound to the flow that passed step-up (SPEC §4): once that flow was
   * cancelled, expired or moved on, the page no longer works.
   */
  private async flowAwaitsPage(flowId: string | null): Promise<boolean> {
    if (flowId === null) return false;
    const flowOwner = await this.deps.scratch.get(flowTag(flowId), linkOwnerName);
    if (flowOwner === null) return false;
    const state = await this.engine.current(flowOwner, flowId);
    return state.status === 'active' && state.view?.meta.view === 'openPasswordPage';
  }

  /** The owner hears that someone kept guessing the current password (security notes). */
  private async alarmCooldown(accountId: string, until: number, flowId: string | null, actor: string) {
    const account = await this.deps.directory.getById(accountId);
    if (account === null || flowId === null) return;
    await alarmOwner(this.deps, account, {
      notice: 'passwordCooldown',
      mail: 'password-cooldown',
      until,
      flowId,
      actor,
    });
  }

  /** The Slack flow that minted the link hears what happened on the page. */
  private async tellFlow(flowId: string | null, outcome: 'changed' | 'cooledDown'): Promise<void> {
    if (flowId === null) return;
    const flowOwner = await this.deps.scratch.get(flowTag(flowId), linkOwnerName);
    if (flowOwner === null) return;
    await this.engine.send(flowOwner, flowId, { type: 'PAGE_RESULT', outcome });
  }

  private async resetEvent(token: string, link: ValidLink, event: FlowEventWithoutNow): Promise<PageState> {
    const result = await this.engine.send(owner(link), resetFlowId(token), event, { resetToken: token });
    if (result.status === 'already-handled') {
      // Another submit of this page moved the flow on first: show where it stands now.
      if (result.ended) return this.pageOf(endedResult(result.flowId, result.ended), 'reset');
      return this.pageOf(await this.engine.current(owner(link), resetFlowId(token)), 'reset');
    }
    if (result.status === 'missing' || result.status === 'expired') return form('reset', []);
    return this.pageOf(result, 'reset');
  }

  private pageOf(result: EngineResult, kind: 'reset' | 'change'): PageState {
    switch (result.status) {
      case 'unavailable':
        return UNAVAILABLE;
      case 'finished':
        if (result.output.status === 'done') return { page: 'done', kind };
        return form(kind, [this.sentence(result.output.reason) ?? messages.flows['flow.effectFailed']]);
      case 'active':
        break;
      default:
        return INVALID;
    }
    const view = result.view;
    if (view === null || view.view === 'working') return UNAVAILABLE;
    if (view.view === 'enterCode' || view.view === 'codeNeedsResend') {
      const { code } = view.context;
      const methods = 'methods' in view.context ? view.context.methods : null;
      return {
        page: 'code',
        channel: code?.channel ?? ('channel' in view.context ? view.context.channel : 'sms'),
        maskedTarget: code?.maskedTarget ?? '',
        notice: this.sentence(view.notice),
        canUseAlternate: methods?.sms === true && methods.email,
        resendAvailableAt: code?.resendAt ?? 0,
        ...(code?.delayed ? { delayed: true as const } : {}),
      };
    }
    const notice = this.sentence(view.notice);
    const violations = view.view === 'newPassword' ? view.context.violations.map(fieldErrorText) : [];
    return form(kind, [...(notice ? [notice] : []), ...violations]);
  }

  /** `submit`: a form post, which may have raced the one that used the link up. */
  private withResetLink(
    token: string,
    work: (link: ValidLink) => Promise<PageState>,
    submit = true,
  ): Promise<PageState> {
    return this.safely('reset', async () => {
      const verdict = await this.deps.linkTokens.peek(token, 'reset');
      if (verdict.ok) return work(verdict.link);
      return submit && verdict.reason === 'used' && verdict.accountId !== undefined
        ? this.justUsed(token, verdict.accountId)
        : INVALID;
    });
  }

  /**
   * A submit of the page that lost the race to the one that used the link up sees how the
   * flow ended, for a moment; after that a used link is invalid like any other.
   */
  private async justUsed(token: string, accountId: string): Promise<PageState> {
    const flowId = resetFlowId(token);
    const ended = await this.engine.ending(accountOwner(accountId), flowId);
    if (ended === null || this.deps.clock.now() - ended.at > JUST_USED_MS) return INVALID;
    return this.pageOf(endedResult(flowId, ended), 'reset');
  }

  private async safely(kind: 'reset' | 'change', work: () => Promise<PageState>): Promise<PageState> {
    try {
      return await work();
    } catch (error) {
      // The same form again: the person only has to submit once more.
      if (error instanceof HashingBusyError) return form(kind, [messages.flows['flow.hashingBusy']]);
      if (error instanceof TemporarilyUnavailableError) return UNAVAILABLE;
      throw error;
    }
  }
}

const owner = (link: ValidLink): string => accountOwner(link.accountId);

/** How long after a reset a submit of the same page still sees it done instead of a dead link. */
const JUST_USED_MS = 60_000;

const endedResult = (flowId: string, ended: FlowEnding): EngineResult => ({
  status: 'finished',
  flowId,
  machineId: 'resetPassword',
  output: ended.output,
  view: null,
});

const form = (kind: 'reset' | 'change', errors: string[]): PageState => ({ page: 'form', kind, errors });
