import type { AnyMiddlewareArgs, Middleware, RespondFn } from '@slack/bolt';
import type { webApi } from '@slack/bolt';
import { errorKind, TemporarilyUnavailableError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { common } from '../../messages/common.js';
import { slack } from '../../messages/slack.js';
import type { DeliveryClaim } from '../../engine/flow-engine.js';
import type { Dedupe } from '../../ports/dedupe.js';
import { windowOf } from '../answer/request-window.js';
import { identify, type PayloadIdentity } from './identity.js';
import type { MemberCheck, MemberVerdict } from './members.js';

/** security.md: event ids, view submissions and action triggers are remembered for 5 minutes. */
const DEDUPE_TTL_MS = 5 * 60_000;

export interface GateDependencies {
  teamId: string;
  members: MemberCheck;
  dedupe: Dedupe;
  logger: Logger;
  /** A keyed digest: submitted values (codes, document numbers) never reach Redis in clear. */
  fingerprint: (text: string) => string;
  /**
   * Requests whose listener claims the delivery itself, beside its flow's first read (one
   * round trip less): the gate hands it the claim (deliveryClaimOf) instead of making it.
   */
  claimedByListener?: (body: Record<string, unknown>) => boolean;
}

const DELIVERY_CLAIM = 'deliveryClaim';

/** The claim the gate handed this request's listener, if it handed one. */
export function deliveryClaimOf(context: Record<string, unknown>): DeliveryClaim | undefined {
  const claim = context[DELIVERY_CLAIM];
  return typeof claim === 'function' ? (claim as DeliveryClaim) : undefined;
}

/** A refused person is told once a day; opening the Home tab again is not a new question. */
const REFUSAL_REPEAT_MS = 24 * 60 * 60_000;

/** Bots are told nothing: two bots refusing each other would talk forever. */
const REFUSALS: Record<Exclude<MemberVerdict, 'member' | 'bot'>, string> = {
  guest: slack.refusals.guest,
  external: slack.refusals.external,
  deactivated: slack.refusals.deactivated,
  unknown: slack.refusals.external,
};

type Ack = (response?: Record<string, unknown>) => Promise<void>;

function ackOf(args: AnyMiddlewareArgs): Ack | null {
  const ack = (args as { ack?: unknown }).ack;
  return typeof ack === 'function' ? (ack as Ack) : null;
}

type Reply = (text: string) => Promise<void>;

/**
 * A command's answer once its window closed (a check that waited on a hung store): the
 * response_url, seen only by the person who typed it, like the ack would have been.
 */
function lateReplyOf(args: AnyMiddlewareArgs): Reply | null {
  const respond = (args as { respond?: unknown }).respond;
  if (typeof respond !== 'function') return null;
  return async (text) => {
    await (respond as RespondFn)({ response_type: 'ephemeral', text });
  };
}

/**
 * The door every request passes before a listener sees it: the configured workspace only,
 * full members only (no bots, guests or Slack Connect strangers), and each delivery once.
 * Anything refused is acked so Slack does not retry, and told why where it can be.
 */
export function ingressGate(deps: GateDependencies): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Record<string, unknown>;
    const who = identify(body, deps.fingerprint);
    const ack = ackOf(args);
    const client = (args as unknown as { client: webApi.WebClient }).client;
    const refuse = (userId: string | null, text: string) =>
      refuseRequest({ ack, late: lateReplyOf(args), body }, who, userId, client, text).catch(
        (error: unknown) =>
          deps.logger.warn(
            { kind: who.kind, err: errorKind(error) },
            'refusal could not be told to the person',
          ),
      );

    if (who.teamId !== deps.teamId) {
      deps.logger.warn({ kind: who.kind, team: who.teamId }, 'slack request from another workspace refused');
      await refuse(null, slack.refusals.otherWorkspace);
      return;
    }
    // Events without a person (edits, bot posts, joins) carry nothing for the assistant.
    if (who.userId === null) {
      await ack?.();
      return;
    }
    try {
      const verdict = await deps.members.verdict(client, who.userId);
      if (verdict === 'bot') {
        deps.logger.info({ kind: who.kind, verdict }, 'slack request refused at the door');
        await ack?.();
        return;
      }
      if (verdict !== 'member') {
        deps.logger.info({ kind: who.kind, verdict }, 'slack request refused at the door');
        const firstToday = await deps.dedupe
          .claim(`slack:refused:${who.teamId}:${who.userId}`, REFUSAL_REPEAT_MS)
          .catch(() => false);
        await refuse(firstToday ? who.userId : null, REFUSALS[verdict]);
        return;
      }
      const deliveryKey = who.deliveryKey;
      if (deliveryKey !== null && deps.claimedByListener?.(body)) {
        const claim: DeliveryClaim = () => deps.dedupe.claim(`slack:${deliveryKey}`, DEDUPE_TTL_MS);
        args.context[DELIVERY_CLAIM] = claim;
      } else if (deliveryKey !== null && !(await deps.dedupe.claim(`slack:${deliveryKey}`, DEDUPE_TTL_MS))) {
        deps.logger.info({ kind: who.kind }, 'duplicate slack delivery ignored');
        await ack?.();
        return;
      }
    } catch (error) {
      const unavailable = error instanceof TemporarilyUnavailableError;
      deps.logger.warn(
        { kind: who.kind, err: errorKind(error) },
        'slack ingress check failed; request refused',
      );
      await refuse(who.userId, unavailable ? common.temporarilyUnavailable : common.somethingWentWrong);
      return;
    }
    await args.next();
  };
}

/**
 * Commands get the sentence in their ack (an answer to what was typed, seen only by them), or
 * through the response_url when the ack already went out empty at the window's end; others a
 * DM when there is someone to write to.
 */
async function refuseRequest(
  request: { ack: Ack | null; late: Reply | null; body: object },
  who: PayloadIdentity,
  userId: string | null,
  client: webApi.WebClient,
  text: string,
): Promise<void> {
  const { ack, late, body } = request;
  if (who.kind === 'command' && ack && !windowOf(body)?.acked) {
    await ack({ response_type: 'ephemeral', text });
    return;
  }
  if (who.kind === 'command' && late) {
    await late(text);
    return;
  }
  await ack?.();
  if (userId === null || who.kind === 'other') return;
  await client.chat.postMessage({ channel: userId, text });
}
