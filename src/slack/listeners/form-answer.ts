import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { EngineResult } from '../../engine/flow-engine.js';
import { common } from '../../messages/common.js';
import type { SlackActor } from '../flow-ui.js';
import type { SlackKit } from './kit.js';

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
    result.status === 'active' && result.view?.meta.view === formView
      ? ((result.view.context.fieldErrors ?? {}) as Record<string, string>)
      : {};
  const onInputs = Object.fromEntries(
    Object.entries(fieldErrors).filter(([field]) => field in view.state.values),
  );
  if (Object.keys(onInputs).length > 0) await ack({ response_action: 'errors', errors: onInputs });
  else await ack();
  await kit.ui.show(client, actor, view.private_metadata, result);
}
