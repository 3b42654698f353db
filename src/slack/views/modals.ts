import type { CodeState } from '../../../machines/shared/codes.js';
import type { AccountAddressField } from '../../../machines/shared/codes.js';
import { slack } from '../../messages/slack.js';
import { TEXT_LIMITS } from '../../services/validation.js';
import { ModalCallbacks } from '../action-ids.js';
import {
  context,
  escapeMrkdwn,
  modalTitle,
  plain,
  section,
  type KnownBlock,
  type ModalView,
} from './blocks.js';

/** Block and action ids of the inputs, read back from `view.state.values` on submission. */
export const ModalInputs = {
  code: { block: 'code', action: 'code' },
  value: { block: 'value', action: 'value' },
  loginEmail: { block: 'login_email', action: 'login_email' },
} as const;

/** The flow id is the only thing a modal carries (security.md: never state or secrets). */
function base(callbackId: string, flowId: string, title: string, blocks: KnownBlock[]): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: flowId,
    title: modalTitle(title),
    submit: plain(slack.buttons.submit),
    close: plain(slack.buttons.cancel),
    blocks,
  };
}

export function codeModal(flowId: string, code: CodeState | null): ModalView {
  return base(ModalCallbacks.code, flowId, slack.modal.codeTitle, [
    ...(code ? [section(slack.modal.codeHint(escapeMrkdwn(code.maskedTarget)))] : []),
    {
      type: 'input',
      block_id: ModalInputs.code.block,
      label: plain(slack.modal.codeLabel),
      hint: plain(slack.modal.codeFormat),
      element: {
        type: 'plain_text_input',
        action_id: ModalInputs.code.action,
        min_length: 6,
        max_length: 6,
        placeholder: plain('123456'),
      },
    },
  ]);
}

export function valueModal(flowId: string, title: string, field: AccountAddressField): ModalView {
  return base(ModalCallbacks.value, flowId, title, [
    {
      type: 'input',
      block_id: ModalInputs.value.block,
      label: plain(slack.modal.valueLabel[field]),
      hint: plain(slack.modal.valueHint[field]),
      element: {
        type: field.endsWith('Email') ? 'email_text_input' : 'plain_text_input',
        action_id: ModalInputs.value.action,
        // Slack's email input takes no max_length; the server checks 254 all the same.
        ...(field.endsWith('Email') ? {} : { max_length: TEXT_LIMITS.phone }),
      },
    } as KnownBlock,
  ]);
}

export function loginEmailModal(flowId: string): ModalView {
  return base(ModalCallbacks.loginEmail, flowId, slack.modal.loginEmailTitle, [
    context(slack.flowMessage.forgotPassword),
    {
      type: 'input',
      block_id: ModalInputs.loginEmail.block,
      label: plain(slack.modal.loginEmailLabel),
      hint: plain(slack.modal.loginEmailHint),
      element: { type: 'email_text_input', action_id: ModalInputs.loginEmail.action },
    },
  ]);
}
