import { Router, type RequestHandler } from 'express';
import type { ChangePasswordContext } from '../../../machines/change-password.js';
import type { EffectDependencies } from '../../engine/effects/index.js';
import { flowTag } from '../../engine/effects/context.js';
import { linkOwnerName } from '../../engine/effects/passwords.js';
import type { EngineResult, FlowEngine } from '../../engine/flow-engine.js';
import type { ChangePages, PageState } from '../password-pages.js';
import { messages } from '../../messages/catalog.js';
import { flowTimings } from '../../messages/flows.js';
import { fieldErrorText } from '../../messages/validation.js';
import { LinkCookie } from '../link-cookie.js';
import { field, type PageContext } from '../routes/context.js';
import { answerLinkPage, keepLinkAndRedirect } from '../routes/link-pages.js';
import { form, INVALID, safely, sentence, UNAVAILABLE } from '../page-states.js';

/** SPEC 3.8: `/password/<token>` from the Slack change-password flow, then `/password`. */
export function changePasswordRoutes(context: PageContext, form: RequestHandler): Router {
  const router = Router();
  const link = new LinkCookie('/password', context.secure);
  const { pages } = context;

  router.get('/password', (request, response) =>
    answerLinkPage(context, request, response, link, 'change', (token) => pages.changeOpen(token)),
  );
  router.get('/password/:token', keepLinkAndRedirect(link));
  router.post('/password', form, (request, response) =>
    answerLinkPage(context, request, response, link, 'change', (token) =>
      pages.changeSubmit(
        token,
        field(request, 'current'),
        field(request, 'password'),
        field(request, 'confirmation'),
      ),
    ),
  );
  return router;
}

/**
 * The page over the change-password flow. The link names the flow that minted it; the page
 * sends that flow one event with the form and shows where the flow went. Once the flow ended,
 * its Slack DM message shows the outcome, as after any Slack step.
 */
export function changePasswordPages(engine: FlowEngine, deps: EffectDependencies): ChangePages {
  const timings = flowTimings(deps.config);

  /** The flow a link belongs to, while it still waits for this page (SPEC §4). */
  const waitingFlow = async (token: string): Promise<{ owner: string; flowId: string } | null> => {
    const verdict = await deps.linkTokens.peek(token, 'password-change');
    const flowId = verdict.ok ? verdict.link.flowId : null;
    if (flowId === null) return null;
    const owner = await deps.scratch.get(flowTag(flowId), linkOwnerName);
    if (owner === null) return null;
    const state = await engine.current(owner, flowId);
    return state.status === 'active' && state.view?.meta.view === 'openPasswordPage'
      ? { owner, flowId }
      : null;
  };

  const pageOf = (result: EngineResult): PageState => {
    switch (result.status) {
      case 'unavailable':
        return UNAVAILABLE;
      case 'finished': {
        if (result.output.status === 'done') return { page: 'done', kind: 'change' };
        const until = (result.view?.context as Partial<ChangePasswordContext> | undefined)?.cooldownUntil;
        if (typeof until === 'number') return { page: 'cooldown', retryAt: until };
        return form('change', [
          sentence(result.output.reason, timings) ?? messages.flows['flow.effectFailed'],
        ]);
      }
      case 'active': {
        const context = (result.view?.context ?? {}) as Partial<ChangePasswordContext>;
        const answer = context.pageAnswer;
        if (answer?.outcome === 'refused') return form('change', answer.errors.map(fieldErrorText));
        if (answer?.outcome === 'unavailable') return UNAVAILABLE;
        if (answer?.outcome === 'held') return INVALID;
        const notice = sentence(result.view?.notice, timings);
        return form('change', notice ? [notice] : []);
      }
      default:
        // A second submission while the first one saves: the link is held meanwhile.
        return INVALID;
    }
  };

  return {
    changeOpen: (token) =>
      safely('change', async () =>
        (await waitingFlow(token)) === null ? INVALID : { page: 'form', kind: 'change', errors: [] },
      ),
    changeSubmit: (token, current, password, confirmation) =>
      safely('change', async () => {
        const flow = await waitingFlow(token);
        if (flow === null) return INVALID;
        const result = await engine.send(flow.owner, flow.flowId, {
          type: 'SUBMIT_PASSWORDS',
          current,
          password,
          confirmation,
        });
        if (result.status === 'finished') await deps.messenger.showOutcome?.(flow.owner, result);
        return pageOf(result);
      }),
  };
}
