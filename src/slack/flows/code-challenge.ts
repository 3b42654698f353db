import type { CodeState } from '../../../machines/shared/codes.js';
import type { EngineResult } from '../../engine/flow-engine.js';
import { codes } from '../../messages/codes.js';
import type { FlowTimings } from '../../messages/flows.js';
import { slack } from '../../messages/slack.js';
import { FlowActions, ModalCallbacks } from '../action-ids.js';
import { eventButton, openModal, textValue, type SlackFlowSurface } from '../listeners/flow-surface.js';
import { answerFieldSubmission } from '../listeners/form-answer.js';
import { escapeMrkdwn, plain, section, type ModalView } from '../views/blocks.js';
import { flowSentence } from '../views/flow-message.js';
import { flowModal } from '../views/modals.js';

/**
 * The one-time-code loop in Slack (step-up, contact changes, linking): enter the code in a
 * modal, resend it, or switch between SMS and email where step-up allows.
 */

export const CodeInput = { block: 'code', action: 'code' } as const;

export function codeModal(flowId: string, code: CodeState | null): ModalView {
  return flowModal(ModalCallbacks.code, flowId, slack.modal.codeTitle, [
    ...(code ? [section(slack.modal.codeHint(escapeMrkdwn(code.maskedTarget)))] : []),
    {
      type: 'input',
      block_id: CodeInput.block,
      label: plain(slack.modal.codeLabel),
      hint: plain(slack.modal.codeFormat),
      element: {
        type: 'plain_text_input',
        action_id: CodeInput.action,
        min_length: 6,
        max_length: 6,
        placeholder: plain('123456'),
      },
    },
  ]);
}

/** The sentence to show under the field when the flow stayed on the same step. */
function codeRefusal(result: EngineResult, timings: FlowTimings): string | null {
  if (result.status !== 'active' || result.view === null) return null;
  if (result.view.meta.view !== 'enterCode') return null;
  const left = (result.view.context.code as CodeState | null | undefined)?.attemptsLeft;
  if (result.view.notice === 'code.wrong' && typeof left === 'number') return codes.wrong(left);
  return flowSentence(result.view.notice, timings);
}

export const codeChallengeSlack: SlackFlowSurface = {
  buttons: [
    {
      actionId: FlowActions.enterCode,
      handle: (kit, { body, action, client }) =>
        openModal(kit, client, body.trigger_id, codeModal(action.value ?? '', null)),
    },
    eventButton(FlowActions.resend, { type: 'RESEND' }),
    eventButton(FlowActions.useAlternate, { type: 'USE_ALTERNATE' }),
  ],
  modals: [
    {
      callbackId: ModalCallbacks.code,
      // Not six digits: refused in the modal without spending a try.
      handle: async (kit, submission) => {
        const { ack, view } = submission;
        const code = textValue(view.state.values, CodeInput).replace(/\s+/g, '');
        if (!/^\d{6}$/.test(code)) {
          await ack({ response_action: 'errors', errors: { [CodeInput.block]: slack.modal.codeFormat } });
          return;
        }
        await answerFieldSubmission(
          kit,
          submission,
          CodeInput.block,
          { type: 'SUBMIT_CODE', code },
          codeRefusal,
        );
      },
    },
  ],
};
