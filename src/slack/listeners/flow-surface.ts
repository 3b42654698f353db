import type {
  AllMiddlewareArgs,
  BlockButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
  webApi,
} from '@slack/bolt';
import type { DeliveryClaim, FlowEventWithoutNow } from '../../engine/flow-engine.js';
import { parseChoice } from '../action-ids.js';
import { slackError } from '../flow-ui.js';
import type { ModalView } from '../views/blocks.js';
import type { ViewRenderers } from '../views/flow-body.js';
import type { SlackKit } from './kit.js';
import { actorOf, locationOf } from './payload.js';

/**
 * A button click after its ack: the click's payload and the Web API client, and the claim of
 * its delivery when the button makes that itself (FlowButton.claimsDelivery).
 */
export type Click = Pick<SlackActionMiddlewareArgs<BlockButtonAction>, 'body' | 'action'> &
  Pick<AllMiddlewareArgs, 'client'> & { claim?: DeliveryClaim };

/** A modal submission, not yet acked: field errors go back in the ack. */
export type Submission = Pick<SlackViewMiddlewareArgs<ViewSubmitAction>, 'ack' | 'body' | 'view'> &
  Pick<AllMiddlewareArgs, 'client'> & { claim?: DeliveryClaim };

export interface FlowButton {
  /** A RegExp for ids that carry a choice (`identity_subject:individual`). */
  actionId: string | RegExp;
  /** Runs after the ack: Slack wants every click acked, URL buttons included. */
  handle(kit: SlackKit, click: Click): Promise<void>;
  /**
   * The handler passes `click.claim` to the engine, which makes it beside the flow's first
   * read, before anything else happens; the ingress gate then leaves the claim to it.
   */
  claimsDelivery?: true;
}

export interface FlowModal {
  callbackId: string;
  handle(kit: SlackKit, submission: Submission): Promise<void>;
  /** As FlowButton.claimsDelivery: the handler passes `submission.claim` to the engine. */
  claimsDelivery?: true;
}

/** Buttons and the modals they open, looked up by id (src/slack/listeners/dispatch.ts). */
export interface SlackSurface {
  buttons: readonly FlowButton[];
  modals: readonly FlowModal[];
}

/** One flow's Slack surface: its buttons and modals, and how its DM message shows its views. */
export interface SlackFlowSurface extends SlackSurface {
  /** How the flow's DM message shows each of the flow's own views. */
  views: ViewRenderers;
}

/** A button whose value is the flow id and which turns into one engine event. */
export function eventButton(actionId: string, event: FlowEventWithoutNow): FlowButton {
  return {
    actionId,
    claimsDelivery: true,
    handle: (kit, { body, action, client, claim }) =>
      kit.ui
        .send(client, actorOf(body), action.value ?? '', event, locationOf(body), claim)
        .then(() => undefined),
  };
}

/**
 * A button whose value is "<choice> <flowId>" and which turns into one engine event; a
 * choice the flow does not offer (a forged value) does nothing.
 */
export function choiceButton(
  actionId: string | RegExp,
  eventOf: (choice: string) => FlowEventWithoutNow | null,
): FlowButton {
  return {
    actionId,
    claimsDelivery: true,
    handle: async (kit, { body, action, client, claim }) => {
      const parsed = parseChoice(action.value ?? '');
      const event = parsed ? eventOf(parsed.choice) : null;
      if (!parsed || !event) return;
      await kit.ui.send(client, actorOf(body), parsed.flowId, event, locationOf(body), claim);
    },
  };
}

/** A URL button: the browser opens the link, the click only needs its ack. */
export function linkButton(actionId: string): FlowButton {
  return { actionId, handle: () => Promise.resolve() };
}

/** Slack would not open a modal (an expired trigger, a Web API failure); `code` is Slack's error. */
export class ModalNotOpenedError extends Error {
  constructor(
    readonly callbackId: string,
    readonly code: string,
  ) {
    super(`modal ${callbackId} could not be opened: ${code}`);
    this.name = 'ModalNotOpenedError';
  }
}

/**
 * Opens a modal on a click. The trigger id lives about 3 s, so callers open it with what the
 * button carries before any slow work. A refusal is thrown as ModalNotOpenedError, which the
 * failure answer (src/slack/answer/) turns into "click again": clicking again works.
 */
export async function openModal(client: webApi.WebClient, triggerId: string, view: ModalView): Promise<void> {
  try {
    await client.views.open({ trigger_id: triggerId, view });
  } catch (error) {
    throw new ModalNotOpenedError(view.callback_id ?? '', slackError(error));
  }
}

type Values = ViewSubmitAction['view']['state']['values'];

/** A modal's text input, trimmed; empty when missing. */
export function textValue(values: Values, input: { block: string; action: string }): string {
  return (values[input.block]?.[input.action]?.value ?? '').trim();
}
