import { Router, type RequestHandler } from 'express';
import type { ChangePasswordContext } from '../../../machines/change-password.js';
import type { EffectDependencies } from '../../engine/effects/index.js';
import { flowTag } from '../../engine/effects/context.js';
import { linkOwnerName } from '../../engine/effects/passwords.js';
import type { XStateFlowEngine } from '../../engine/engine.js';
import type { EngineResult } from '../../engine/flow-engine.js';
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

/** One submission of a page at a time; the others wait for it, then show where it left the flow. */
const SUBMITTING = 'page-submit';
/** Longer than a save takes; a crashed submission frees the page after it. */
const SUBMIT_HOLD_MS = 30_000;
const WAIT_STEP_MS = 25;
const WAIT_LIMIT_MS = 10_000;
/** How long after the flow finished a submit of its page still sees how it ended. */
const JUST_ENDED_MS = 60_000;

/** The flow a link names; `linkValid` false once the link is used up, expired or replaced. */
interface LinkedFlow {
  owner: string;
  flowId: string;
  linkValid: boolean;
}

type Passwords = { current: string; password: string; confirmation: string };

/**
 * The page over the change-password flow. The link names the flow that minted it; the page
 * sends that flow one event with the form and shows where the flow went. Once the flow ended,
 * its Slack DM message shows the outcome, as after any Slack step. Submissions of one page
 * at once (a double click, two tabs) never race into the invalid-link page nor count as
 * guesses: one is sent, the others show where it left the flow.
 */
export function changePasswordPages(engine: XStateFlowEngine, deps: EffectDependencies): ChangePages {
  const timings = flowTimings(deps.config);

  const linkedFlow = async (token: string): Promise<LinkedFlow | null> => {
    const verdict = await deps.linkTokens.peek(token, 'password-change');
    const flowId = verdict.ok ? verdict.link.flowId : (verdict.flowId ?? null);
    if (flowId === null) return null;
    const owner = await deps.scratch.get(flowTag(flowId), linkOwnerName);
    return owner === null ? null : { owner, flowId, linkValid: verdict.ok };
  };

  const waitsForPage = (result: EngineResult): boolean =>
    result.status === 'active' && result.view?.meta.view === 'openPasswordPage';

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
        const notice = sentence(result.view?.notice, timings);
        return form('change', notice ? [notice] : []);
      }
      default:
        return INVALID;
    }
  };

  /**
   * How the flow finished, for a moment after, when a submission of this page finished it (the
   * save, which uses the link up, or five wrong current passwords); any other ending (Cancel,
   * "This wasn't me") leaves a dead link.
   */
  const endedPage = async (flow: LinkedFlow): Promise<PageState> => {
    const ended = await engine.ending(flow.owner, flow.flowId);
    if (ended === null || deps.clock.now() - ended.at > JUST_ENDED_MS) return INVALID;
    const { status, reason } = ended.output;
    if (status !== 'done' && reason !== 'password.currentPasswordCooldown') return INVALID;
    return pageOf({
      status: 'finished',
      flowId: flow.flowId,
      machineId: 'changePassword',
      ...ended,
      view: null,
    });
  };

  const currentPage = async (flow: LinkedFlow): Promise<PageState> => {
    const state = await engine.current(flow.owner, flow.flowId);
    if (waitsForPage(state)) return pageOf(state);
    return state.status === 'active' ? INVALID : endedPage(flow);
  };

  const submit = async (flow: LinkedFlow, passwords: Passwords): Promise<PageState> => {
    if (!waitsForPage(await engine.current(flow.owner, flow.flowId))) return endedPage(flow);
    const result = await engine.send(flow.owner, flow.flowId, { type: 'SUBMIT_PASSWORDS', ...passwords });
    if (result.status === 'finished') await deps.messenger.showOutcome?.(flow.owner, result);
    return result.status === 'already-handled' ? currentPage(flow) : pageOf(result);
  };

  /** A hold left behind frees itself after SUBMIT_HOLD_MS; until then other submits wait for it. */
  const release = (tag: string) =>
    deps.scratch.delete(tag, SUBMITTING).catch((error: unknown) => {
      deps.logger.warn(
        { err: error instanceof Error ? error.name : 'unknown' },
        'page submit hold not released',
      );
    });

  /** Waits for the page's submission in progress, then shows where it left the flow. */
  const afterOtherSubmit = async (flow: LinkedFlow): Promise<PageState> => {
    const tag = flowTag(flow.flowId);
    for (let waited = 0; waited < WAIT_LIMIT_MS; waited += WAIT_STEP_MS) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
      if (!(await deps.scratch.claim(tag, SUBMITTING, SUBMIT_HOLD_MS))) continue;
      try {
        return await currentPage(flow);
      } finally {
        await release(tag);
      }
    }
    return currentPage(flow);
  };

  return {
    changeOpen: (token) =>
      safely('change', async () => {
        const flow = await linkedFlow(token);
        return flow?.linkValid && waitsForPage(await engine.current(flow.owner, flow.flowId))
          ? form('change', [])
          : INVALID;
      }),
    changeSubmit: (token, current, password, confirmation) =>
      safely('change', async () => {
        const flow = await linkedFlow(token);
        if (flow === null) return INVALID;
        if (!flow.linkValid) return endedPage(flow);
        const tag = flowTag(flow.flowId);
        if (!(await deps.scratch.claim(tag, SUBMITTING, SUBMIT_HOLD_MS))) return afterOtherSubmit(flow);
        try {
          return await submit(flow, { current, password, confirmation });
        } finally {
          await release(tag);
        }
      }),
  };
}
