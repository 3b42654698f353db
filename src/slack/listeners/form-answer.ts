import { setTimeout as sleep } from 'node:timers/promises';
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { EngineResult, FlowEventWithoutNow } from '../../engine/flow-engine.js';
import { common } from '../../messages/common.js';
import { slack } from '../../messages/slack.js';
import { windowOf } from '../answer/request-window.js';
import { flowTimings, type FlowTimings } from '../../messages/flows.js';
import { DeliveryWatch } from '../delivery-watch.js';
import { slackError } from '../flow-ui.js';
import { context, type ModalView } from '../views/blocks.js';
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
  const answer = kit.deps.engine.send(slackOwner(actor), flowId, event, delivery.options);
  const inTime = await answerBeforeWindowCloses(body, answer);
  if (inTime === null && delivery.storeSilent) {
    // The window's own empty ack would close the modal and lose what the person typed. (A
    // slow effect after the store answered, a code being sent, closes it: the DM moves.)
    await ack({ response_action: 'errors', errors: { [block]: slack.modal.submitAgain } });
    const late = await answer;
    if (late.status === 'unavailable') await renewForAnotherTry(kit, client, view);
    else if (!delivery.replayed) await kit.ui.show(client, actor, flowId, late, undefined, remembered);
    return;
  }
  const result = inTime ?? (await answer);
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

/** Left for the errors ack to reach Slack before the request window acks on its own. */
const ACK_MARGIN_MS = 100;

/**
 * The engine's answer, or null when it is not there shortly before the request's window
 * closes (a store that does not answer in time).
 */
async function answerBeforeWindowCloses(
  body: object,
  answer: Promise<EngineResult>,
): Promise<EngineResult | null> {
  const window = windowOf(body);
  if (window === undefined) return answer;
  const timer = new AbortController();
  const closing = sleep(Math.max(0, window.deadlineAt - Date.now() - ACK_MARGIN_MS), null, {
    signal: timer.signal,
  }).catch(() => null);
  try {
    return await Promise.race([answer, closing]);
  } finally {
    timer.abort();
  }
}

const NOTICE_BLOCK = 'service_notice';

/**
 * The same modal again, saying the service was briefly unavailable. Its delivery claim may
 * have reached the store even though the step did not run (a hung store answers its queue
 * once it wakes): the same values submitted again under the same view hash would count as a
 * replay. An update gives the modal a new hash; Slack keeps what was typed in inputs whose
 * block and action ids stay the same.
 */
async function renewForAnotherTry(
  kit: SlackKit,
  client: Submission['client'],
  view: Submission['view'],
): Promise<void> {
  const renewed: ModalView = {
    type: 'modal',
    callback_id: view.callback_id,
    private_metadata: view.private_metadata,
    title: view.title,
    ...(view.submit ? { submit: view.submit } : {}),
    ...(view.close ? { close: view.close } : {}),
    blocks: [
      { ...context(slack.modal.submitAgain), block_id: NOTICE_BLOCK },
      ...view.blocks.filter((block) => block.block_id !== NOTICE_BLOCK),
    ],
  };
  await client.views
    .update({ view_id: view.id, view: renewed })
    .catch((error: unknown) =>
      kit.deps.logger.warn(
        { err: slackError(error) },
        'a modal could not be renewed after the store did not answer',
      ),
    );
}
