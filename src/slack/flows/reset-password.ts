import { slack } from '../../messages/slack.js';
import { FlowActions, ModalCallbacks } from '../action-ids.js';
import { openModal, textValue, type SlackFlowSurface } from '../listeners/flow-surface.js';
import { actorOf } from '../listeners/payload.js';
import { button, context, plain, type ModalView } from '../views/blocks.js';
import type { BodyInput, ViewBody } from '../views/flow-body.js';
import { flowModal } from '../views/modals.js';

/**
 * SPEC 3.9 in Slack: the login email in a modal; the answer is the same whether or not an
 * account has it, and the reset itself continues on the page the mailed link opens.
 */

const LoginEmailInput = { block: 'login_email', action: 'login_email' } as const;

export function loginEmailModal(flowId: string): ModalView {
  return flowModal(ModalCallbacks.loginEmail, flowId, slack.modal.loginEmailTitle, [
    context(slack.flowMessage.forgotPassword),
    {
      type: 'input',
      block_id: LoginEmailInput.block,
      label: plain(slack.modal.loginEmailLabel),
      hint: plain(slack.modal.loginEmailHint),
      element: { type: 'email_text_input', action_id: LoginEmailInput.action },
    },
  ]);
}

function forgotPasswordBody(_view: unknown, { flowId, cancel }: BodyInput): ViewBody {
  return {
    lines: [slack.flowMessage.forgotPassword],
    buttons: [
      button(slack.buttons.continue, FlowActions.enterLoginEmail, { value: flowId, style: 'primary' }),
      cancel,
    ],
  };
}

export const resetPasswordSlack: SlackFlowSurface = {
  views: {
    forgotPassword: forgotPasswordBody,
    newPassword: (_view, { cancel }) => ({ lines: [slack.flowMessage.newPassword], buttons: [cancel] }),
  },
  buttons: [
    {
      actionId: FlowActions.enterLoginEmail,
      handle: (_kit, { body, action, client }) =>
        openModal(client, body.trigger_id, loginEmailModal(action.value ?? '')),
    },
  ],
  modals: [
    {
      callbackId: ModalCallbacks.loginEmail,
      handle: async (kit, { ack, body, view, client }) => {
        const loginEmail = textValue(view.state.values, LoginEmailInput);
        if (loginEmail === '') {
          await ack({
            response_action: 'errors',
            errors: { [LoginEmailInput.block]: slack.modal.valueRequired },
          });
          return;
        }
        await ack();
        await kit.ui.send(client, actorOf(body), view.private_metadata, {
          type: 'SUBMIT_LOGIN_EMAIL',
          loginEmail,
        });
      },
    },
  ],
};
