import type { CodePurpose, CodeState } from '../../../machines/shared/codes.js';
import type { EngineResult } from '../../engine/flow-engine.js';
import { codes } from '../../messages/codes.js';
import type { FlowTimings } from '../../messages/flows.js';
import { slack } from '../../messages/slack.js';
import { isWellFormedCode, normalizeCodeInput } from '../../services/codes.js';
import { FlowActions, ModalCallbacks } from '../action-ids.js';
import { eventButton, openModal, textValue, type SlackFlowSurface } from '../listeners/flow-surface.js';
import { answerFieldSubmission } from '../listeners/form-answer.js';
import { escapeMrkdwn, plain, section, type ModalView } from '../views/blocks.js';
import { flowSentence } from '../views/flow-message.js';
import { flowModal } from '../views/modals.js';
import type { FlowView } from '../../../machines/shared/flow-view.js';
import { waitText } from '../../messages/codes.js';
import { notifications } from '../../messages/notifications.js';
import { button } from '../views/blocks.js';
import type { BodyInput, ViewBody } from '../views/flow-body.js';

/**
 * The one-time-code loop in Slack (step-up, contact changes, linking): enter the code in a
 * modal, resend it, or switch between SMS and email where step-up allows.
 */

const CodeInput = { block: 'code', action: 'code' } as const;

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
  if (result.view.view !== 'enterCode') return null;
  const left = result.view.context.code?.attemptsLeft;
  if (result.view.notice === 'code.wrong' && typeof left === 'number') return codes.wrong(left);
  return flowSentence(result.view.notice, timings);
}

function resendSeconds(code: CodeState | null, now: number): number {
  return code === null ? 0 : Math.max(0, Math.ceil((code.resendAt - now) / 1000));
}

/** Codes that confirm who the person is go to an address the account has, not the one being changed. */
function confirmsIdentity(purpose: CodePurpose): boolean {
  return purpose === 'step-up' || purpose === 'reset-identity';
}

type CodeView = Extract<FlowView, { view: 'enterCode' | 'codeNeedsResend' }>;

/** Step-up and the reset page's identity check offer the other of SMS and email when both exist. */
function canUseAlternate(view: CodeView): boolean {
  return view.context.alternate !== null;
}

function enterCodeBody(view: Extract<CodeView, { view: 'enterCode' }>, input: BodyInput): ViewBody {
  const { flowId, now, cancel } = input;
  const code = view.context.code;
  const seconds = resendSeconds(code, now);
  const target = escapeMrkdwn(code?.maskedTarget ?? '');
  const lines = [
    code?.delayed
      ? notifications.delivery.delayed
      : confirmsIdentity(view.context.purpose)
        ? slack.flowMessage.identityCodeSent(target)
        : slack.flowMessage.codeSent(target),
  ];
  if (code?.attemptsLeft !== null && code?.attemptsLeft !== undefined)
    lines.push(slack.flowMessage.attemptsLeft(code.attemptsLeft));
  lines.push(
    seconds > 0 ? slack.flowMessage.resendIn(waitText(seconds * 1000)) : slack.flowMessage.resendNow,
  );
  const buttons = [
    button(slack.buttons.enterCode, FlowActions.enterCode, { value: flowId, style: 'primary' }),
    button(slack.buttons.resend, FlowActions.resend, { value: flowId }),
  ];
  if (canUseAlternate(view))
    buttons.push(button(slack.buttons.useAlternate, FlowActions.useAlternate, { value: flowId }));
  if (!confirmsIdentity(view.context.purpose) && view.context.purpose !== 'account-link') {
    buttons.push(button(slack.buttons.editAgain, FlowActions.editValue, { value: flowId }));
  }
  return { lines, buttons: [...buttons, cancel] };
}

function codeNeedsResendBody(
  view: Extract<CodeView, { view: 'codeNeedsResend' }>,
  input: BodyInput,
): ViewBody {
  const { flowId, now, cancel } = input;
  const buttons = [button(slack.buttons.resend, FlowActions.resend, { value: flowId, style: 'primary' })];
  if (canUseAlternate(view))
    buttons.push(button(slack.buttons.useAlternate, FlowActions.useAlternate, { value: flowId }));
  const seconds = resendSeconds(view.context.code, now);
  const lines: string[] = [slack.flowMessage.codeNeedsResend];
  if (seconds > 0) lines.push(slack.flowMessage.resendIn(waitText(seconds * 1000)));
  return { lines, buttons: [...buttons, cancel] };
}

export const codeChallengeSlack: SlackFlowSurface = {
  views: { enterCode: enterCodeBody, codeNeedsResend: codeNeedsResendBody },
  buttons: [
    {
      actionId: FlowActions.enterCode,
      handle: (_kit, { body, action, client }) =>
        openModal(client, body.trigger_id, codeModal(action.value ?? '', null)),
    },
    eventButton(FlowActions.resend, { type: 'RESEND' }),
    eventButton(FlowActions.useAlternate, { type: 'USE_ALTERNATE' }),
  ],
  modals: [
    {
      callbackId: ModalCallbacks.code,
      claimsDelivery: true,
      // Not six digits: refused in the modal without spending a try.
      handle: async (kit, submission) => {
        const { ack, view } = submission;
        const code = normalizeCodeInput(textValue(view.state.values, CodeInput));
        if (!isWellFormedCode(code)) {
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
