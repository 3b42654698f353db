import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { EngineResult, FlowEventWithoutNow } from '../../engine/flow-engine.js';
import { common } from '../../messages/common.js';
import { flowTimings, type FlowTimings } from '../../messages/flows.js';
import { DeliveryWatch } from '../delivery-watch.js';
import type { SlackActor } from '../flow-ui.js';
import { fieldErrorsOf } from '../views/flow-message.js';
import type { Submission } from './flow-surface.js';
import type { SlackKit } from './kit.js';
import { actorOf } from './payload.js';
import { slackOwner } from '../../domain/flow-owner.js';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * Answers a form modal after the engine took its values: field errors from the flow's
 * view stay in the modal (`response_action: errors`), anything else closes it and the
 * flow's DM message shows where the flow went.
 */
export async function answerFormSubmission(
  kit: SlackKit,
  args: Pick<SubmitArgs, 'ack' | 'view' | 'client'>,
  actor: SlackActor,
  result: EngineResult,
  formView: string,
): Promise<void> {
  const { ack, view, client } = args;
  if (result.status === 'unavailable') {
    const first = Object.keys(view.state.values)[0] ?? 'form';
    await ack({ response_action: 'errors', errors: { [first]: common.temporarilyUnavailable } });
    return;
  }
  const fieldErrors =
    result.status === 'active' && result.view?.meta.view === formView ? fieldErrorsOf(result.view) : {};
  const onInputs = Object.fromEntries(
    Object.entries(fieldErrors).filter(([field]) => field in view.state.values),
  );
  if (Object.keys(onInputs).length > 0) await ack({ response_action: 'errors', errors: onInputs });
  else await ack();
  await kit.ui.show(client, actor, view.private_metadata, result);
}

/**
 * Sends a one-field modal's value to its flow. The engine answers within the ack window (a
 * code check is one Lua call), so the flow's refusal of its current step stays under the
 * field; an outage too; anything else closes the modal and moves the flow's DM message.
 */
export async function answerFieldSubmission(
  kit: SlackKit,
  { ack, body, view, client, claim }: Submission,
  block: string,
  event: FlowEventWithoutNow,
  refusalOf: (result: EngineResult, timings: FlowTimings) => string | null,
): Promise<void> {
  const actor = actorOf(body);
  const flowId = view.private_metadata;
  const delivery = new DeliveryWatch(claim);
  const remembered = kit.ui.remembered(actor, flowId);
  const result = await kit.deps.engine.send(slackOwner(actor), flowId, event, delivery.options);
  if (delivery.replayed) {
    kit.deps.logger.info({ kind: 'view_submission' }, 'duplicate slack delivery ignored');
    await ack();
    return;
  }
  const refusal =
    result.status === 'unavailable'
      ? common.temporarilyUnavailable
      : refusalOf(result, flowTimings(kit.deps.config));
  await ack(refusal ? { response_action: 'errors', errors: { [block]: refusal } } : undefined);
  await kit.ui.show(client, actor, flowId, result, undefined, remembered);
}
