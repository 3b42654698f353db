import { createHash, randomBytes } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { EffectDependencies } from '../../engine/effects/index.js';
import { sendResetLinkAfterAnswer } from '../../engine/effects/passwords.js';
import type { XStateFlowEngine } from '../../engine/engine.js';
import type { EngineResult, FlowEnding, FlowEventWithoutNow } from '../../engine/flow-engine.js';
import type { PageState, ResetPages } from '../password-pages.js';
import { accountOwner } from '../../domain/flow-owner.js';
import { isWellFormedCode } from '../../services/codes.js';
import type { ValidLink } from '../../services/link-tokens.js';
import { flowTimings } from '../../messages/flows.js';
import { messages } from '../../messages/catalog.js';
import { web } from '../../messages/web.js';
import { fieldErrorText } from '../../messages/validation.js';
import { emailAddress, firstProblem } from '../../services/validation.js';
import { LinkCookie } from '../link-cookie.js';
import { forgotForm, forgotSent, forgotTooMany } from '../pages/forgot.js';
import { messagePage } from '../pages/messages.js';
import { field, sendPage, type PageContext } from '../routes/context.js';
import { answerLinkPage, keepLinkAndRedirect } from '../routes/link-pages.js';
import { form, INVALID, safely, sentence, UNAVAILABLE } from '../page-states.js';

/**
 * SPEC 3.9 on the web: `/forgot` asks for the login email, the mailed `/reset/<token>` link
 * leads through the identity check to the new password.
 */

/** `/reset/<token>` from the email, then the token-less `/reset` pages. */
export function resetPasswordRoutes(context: PageContext, form: RequestHandler): Router {
  const router = Router();
  forgotRoutes(router, context, form);
  const link = new LinkCookie('/reset', context.secure);
  const { pages } = context;

  router.get('/reset', (request, response) =>
    answerLinkPage(context, request, response, link, 'reset', (token) => pages.resetOpen(token)),
  );
  router.get('/reset/:token', keepLinkAndRedirect(link));
  router.post('/reset/password', form, (request, response) =>
    answerLinkPage(context, request, response, link, 'reset', (token) =>
      pages.resetSubmitPassword(token, field(request, 'password'), field(request, 'confirmation')),
    ),
  );
  router.post('/reset/code', form, (request, response) =>
    answerLinkPage(context, request, response, link, 'reset', (token) =>
      pages.resetSubmitCode(token, field(request, 'code').trim()),
    ),
  );
  router.post('/reset/resend', form, (request, response) =>
    answerLinkPage(context, request, response, link, 'reset', (token) => pages.resetResend(token)),
  );
  router.post('/reset/alternate', form, (request, response) =>
    answerLinkPage(context, request, response, link, 'reset', (token) => pages.resetUseAlternate(token)),
  );
  return router;
}

/**
 * SPEC 3.9 `/forgot`: the same page whether or not the account exists; the password pages
 * do the same work either way and queue the mail.
 */
function forgotRoutes(router: Router, context: PageContext, form: RequestHandler): void {
  router.get('/forgot', (request, response) => {
    sendPage(response, 200, forgotForm(context.csrf.tokenFor(request, response)));
  });

  router.post('/forgot', form, async (request, response) => {
    if (!context.csrf.verify(request)) {
      sendPage(response, 403, messagePage(web.formExpired.title, web.formExpired.body));
      return;
    }
    const email = field(request, 'email').trim();
    const refusal = emailRefusal(email);
    if (refusal !== null) {
      sendPage(response, 422, forgotForm(context.csrf.tokenFor(request, response), [refusal]));
      return;
    }
    const allowance = await context.limits.forgotRequest(context.ip(request));
    if (!allowance.allowed) {
      sendPage(response, 429, forgotTooMany(allowance.retryAt, context.clock.now()));
      return;
    }
    await context.pages.forgot(email);
    sendPage(response, 200, forgotSent(context.resetLinkTtlMs));
  });
}

/**
 * The browser's type=email check is a convenience: a request sent past it gets the same
 * field error, never "check your email" for an address no mail can reach.
 */
function emailRefusal(email: string): string | null {
  if (email === '') return web.forgot.emailMissing;
  const problem = firstProblem(emailAddress, email);
  return problem === null ? null : fieldErrorText(problem);
}

/** The reset flow of one link: the id is derived from the token's digest, never the token. */
function resetFlowId(token: string): string {
  return `reset-${createHash('sha256').update(token, 'utf8').digest('base64url').slice(0, 32)}`;
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

/**
 * The pages over the reset flow. Opening a page only peeks at its link; the flow's commit
 * effect consumes it after the identity check. The token reaches the engine for one
 * interaction at a time, never persisted.
 */
export function resetPasswordPages(engine: XStateFlowEngine, deps: EffectDependencies): ResetPages {
  const timings = flowTimings(deps.config);

  const pageOf = (result: EngineResult): PageState => {
    switch (result.status) {
      case 'unavailable':
        return UNAVAILABLE;
      case 'finished':
        if (result.output.status === 'done') return { page: 'done', kind: 'reset' };
        return form('reset', [
          sentence(result.output.reason, timings) ?? messages.flows['flow.effectFailed'],
        ]);
      case 'active':
        break;
      default:
        return INVALID;
    }
    const view = result.view;
    if (view === null || view.view === 'working') return UNAVAILABLE;
    if (view.view === 'enterCode' || view.view === 'codeNeedsResend') {
      const { code, channel, alternate } = view.context;
      return {
        page: 'code',
        channel: code?.channel ?? channel,
        maskedTarget: code?.maskedTarget ?? '',
        notice: sentence(view.notice, timings),
        canUseAlternate: alternate !== null,
        resendAvailableAt: code?.resendAt ?? 0,
        ...(code?.delayed ? { delayed: true as const } : {}),
      };
    }
    const notice = sentence(view.notice, timings);
    const violations = view.view === 'newPassword' ? view.context.violations.map(fieldErrorText) : [];
    return form('reset', [...(notice ? [notice] : []), ...violations]);
  };

  /**
   * A submit of the page that lost the race to the one that used the link up sees how the
   * flow ended, for a moment; after that a used link is invalid like any other.
   */
  const justUsed = async (token: string, accountId: string): Promise<PageState> => {
    const flowId = resetFlowId(token);
    const ended = await engine.ending(accountOwner(accountId), flowId);
    if (ended === null || deps.clock.now() - ended.at > JUST_USED_MS) return INVALID;
    return pageOf(endedResult(flowId, ended));
  };

  /** `submit`: a form post, which may have raced the one that used the link up. */
  const withLink = (
    token: string,
    work: (link: ValidLink) => Promise<PageState>,
    submit = true,
  ): Promise<PageState> =>
    safely('reset', async () => {
      const verdict = await deps.linkTokens.peek(token, 'reset');
      if (verdict.ok) return work(verdict.link);
      return submit && verdict.reason === 'used' && verdict.accountId !== undefined
        ? justUsed(token, verdict.accountId)
        : INVALID;
    });

  const send = async (token: string, link: ValidLink, event: FlowEventWithoutNow): Promise<PageState> => {
    const result = await engine.send(owner(link), resetFlowId(token), event, { resetToken: token });
    if (result.status === 'already-handled') {
      // Another submit of this page moved the flow on first: show where it stands now.
      if (result.ended) return pageOf(endedResult(result.flowId, result.ended));
      return pageOf(await engine.current(owner(link), resetFlowId(token)));
    }
    if (result.status === 'missing' || result.status === 'expired') return form('reset', []);
    return pageOf(result);
  };

  return {
    /** Answers at once and looks the account up afterwards (see sendResetLinkAfterAnswer). */
    forgot(loginEmail) {
      sendResetLinkAfterAnswer(deps, loginEmail, 'web', `forgot-${randomBytes(12).toString('base64url')}`);
      return Promise.resolve();
    },
    resetOpen: (token) =>
      withLink(
        token,
        async (link) => {
          const current = await engine.current(owner(link), resetFlowId(token));
          return current.status === 'missing' || current.status === 'expired'
            ? { page: 'form', kind: 'reset', errors: [] }
            : pageOf(current);
        },
        false,
      ),
    resetSubmitPassword: (token, password, confirmation) =>
      withLink(token, async (link) => {
        const flowId = resetFlowId(token);
        const existing = await engine.current(owner(link), flowId);
        if (existing.status !== 'active') {
          const started = await engine.start(
            owner(link),
            'resetPassword',
            { entry: 'page', linkExpiresAt: link.expiresAt },
            { accountId: link.accountId, flowId, replaceActive: true },
            { resetToken: token },
          );
          const joined = started.status === 'conflict' && started.activeFlowId === flowId;
          if (started.status !== 'active' && !joined) return pageOf(started);
        }
        return send(token, link, { type: 'SUBMIT_NEW_PASSWORD', password, confirmation });
      }),
    resetSubmitCode: (token, code) =>
      withLink(token, async (link) => {
        // Not a code at all (empty, letters, full-width digits): refused without spending a try.
        if (isWellFormedCode(code)) return send(token, link, { type: 'SUBMIT_CODE', code });
        const page = pageOf(await engine.current(owner(link), resetFlowId(token)));
        return page.page === 'code'
          ? { ...page, notice: messages.codes.malformedNotCounted(deps.config.codes.maxAttempts) }
          : page;
      }),
    resetResend: (token) => withLink(token, (link) => send(token, link, { type: 'RESEND' })),
    resetUseAlternate: (token) => withLink(token, (link) => send(token, link, { type: 'USE_ALTERNATE' })),
  };
}
