import type { AnyMiddlewareArgs, Middleware, RespondFn, webApi } from '@slack/bolt';
import { CorruptRecordError, TemporarilyUnavailableError } from '../../core/errors.js';
import { common } from '../../messages/common.js';
import { flows } from '../../messages/flows.js';
import { HashingBusyError } from '../../services/credentials/index.js';
import { support } from '../../messages/support.js';
import type { SlackDependencies } from '../dependencies.js';
import { identify, type PayloadIdentity } from '../ingress/identity.js';
import { slackError } from '../flow-ui.js';
import { ModalNotOpenedError } from '../listeners/flow-surface.js';
import { header, section } from '../views/blocks.js';
import { slack } from '../../messages/slack.js';
import { windowOf } from './request-window.js';
import { slackOwner } from '../../domain/flow-owner.js';

/** A damaged record is reported to support once a day, however often its owner tries. */
const DAMAGE_ALERT_TTL_MS = 24 * 60 * 60_000;

type Ack = (response?: Record<string, unknown>) => Promise<void>;

interface FailedRequest {
  who: PayloadIdentity & { userId: string };
  body: Record<string, unknown>;
  client: webApi.WebClient;
  ack: Ack | null;
  respond: RespondFn | null;
}

/**
 * The one place a failed request is answered. Whatever a listener was doing when a store,
 * the Web API or our own code failed, the person who asked hears what happened and what to
 * do, through the channel their request allows: the ack if it is still open, the command's
 * response_url, the Home tab they are looking at, or the DM.
 */
export function answerFailures(deps: SlackDependencies): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    try {
      await args.next();
    } catch (error) {
      // A form Slack would not open is Slack's refusal (mostly a trigger past its 3 s), not our fault.
      const level = error instanceof ModalNotOpenedError ? 'warn' : 'error';
      deps.logger[level]({ err: describe(error) }, 'slack request failed; answering the person');
      const body = args.body as unknown as Record<string, unknown>;
      const who = identify(body);
      if (who.userId === null) return;
      const request: FailedRequest = {
        who: { ...who, userId: who.userId },
        body,
        client: args.client,
        ack: ackOf(args),
        respond: respondOf(args),
      };
      try {
        if (error instanceof CorruptRecordError) await reportDamage(deps, request, error);
        await tell(request, sentenceFor(error));
      } catch (answerError) {
        deps.logger.warn({ err: describe(answerError) }, 'the failure could not be told to the person');
      }
    }
  };
}

function sentenceFor(error: unknown): string {
  if (error instanceof HashingBusyError) return flows['flow.hashingBusy'];
  if (error instanceof TemporarilyUnavailableError) return common.temporarilyUnavailable;
  if (error instanceof CorruptRecordError) return common.recordDamaged;
  if (error instanceof ModalNotOpenedError) return slack.modal.notOpened;
  return common.somethingWentWrong;
}

async function tell(request: FailedRequest, text: string): Promise<void> {
  const { who, body, client, ack, respond } = request;
  const acked = windowOf(body)?.acked ?? true;
  if (!acked && ack) {
    if (who.kind === 'command') {
      await ack({ response_type: 'ephemeral', text });
      return;
    }
    const firstInput = who.kind === 'view_submission' ? firstInputOf(body) : null;
    if (firstInput !== null) {
      await ack({ response_action: 'errors', errors: { [firstInput]: text } });
      return;
    }
    await ack();
  }
  // In a channel (a command anywhere, a review card's button) only the person may see it.
  if (respond && (who.kind === 'command' || !inDirectMessage(body))) {
    await respond({ response_type: 'ephemeral', replace_original: false, text });
    return;
  }
  if (isHomeOpen(body)) {
    await client.views.publish({
      user_id: who.userId,
      view: { type: 'home', blocks: [header(slack.home.title), section(text)] },
    });
    return;
  }
  await client.chat.postMessage({ channel: who.userId, text });
}

/** Alerts the support channel once a day per damaged record and audits every occurrence. */
async function reportDamage(
  deps: SlackDependencies,
  request: FailedRequest,
  error: CorruptRecordError,
): Promise<void> {
  const { who } = request;
  const accountId = /^account (\S+)$/.exec(error.what)?.[1];
  await deps.stores.audit.record({
    actor: slackOwner({ teamId: who.teamId ?? '', userId: who.userId }),
    ...(accountId ? { accountId } : {}),
    action: 'record.damaged',
    outcome: 'failure',
    detail: { record: accountId ? 'account' : error.what },
  });
  const channel = deps.slack.supportChannelId;
  if (channel === null) {
    deps.logger.warn({ record: error.what }, 'damaged record and no support channel to alert');
    return;
  }
  if (!(await deps.stores.dedupe.claim(`slack:damaged-record:${error.what}`, DAMAGE_ALERT_TTL_MS))) return;
  await request.client.chat.postMessage({ channel, text: support.damagedRecord(who.userId, error.what) });
}

function inDirectMessage(body: Record<string, unknown>): boolean {
  const channel = (body.channel as { id?: unknown } | undefined)?.id;
  return typeof channel === 'string' && channel.startsWith('D');
}

function isHomeOpen(body: Record<string, unknown>): boolean {
  const event = body.event as { type?: unknown } | undefined;
  return body.type === 'event_callback' && event?.type === 'app_home_opened';
}

function firstInputOf(body: Record<string, unknown>): string | null {
  const view = body.view as { state?: { values?: Record<string, unknown> } } | undefined;
  return Object.keys(view?.state?.values ?? {})[0] ?? null;
}

function ackOf(args: AnyMiddlewareArgs): Ack | null {
  const ack = (args as { ack?: unknown }).ack;
  return typeof ack === 'function' ? (ack as Ack) : null;
}

function respondOf(args: AnyMiddlewareArgs): RespondFn | null {
  const respond = (args as { respond?: unknown }).respond;
  return typeof respond === 'function' ? (respond as RespondFn) : null;
}

/** An error's kind and code, never its message (a Web API error may quote the request). */
function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${slackError(error)}`;
  return 'unknown';
}
