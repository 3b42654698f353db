import type { AccountAddressField } from '../../../machines/shared/codes.js';
import type { EngineResult } from '../../engine/flow-engine.js';
import type { FlowId } from '../../engine/flow-registry.js';
import type { FlowTimings } from '../../messages/flows.js';
import { slack } from '../../messages/slack.js';
import { TEXT_LIMITS } from '../../services/validation.js';
import { FlowActions, ModalCallbacks, parseValueButton, valueButtonValue } from '../action-ids.js';
import { eventButton, openModal, textValue, type SlackFlowSurface } from '../listeners/flow-surface.js';
import { answerFieldSubmission } from '../listeners/form-answer.js';
import { button, escapeMrkdwn, plain, type KnownBlock, type ModalView } from '../views/blocks.js';
import type { BodyInput, ViewBody } from '../views/flow-body.js';
import { fieldErrorOf, flowSentence, flowTitle } from '../views/flow-message.js';
import { flowModal } from '../views/modals.js';
import type { FlowView } from '../../../machines/shared/flow-view.js';

/**
 * The contact changes in Slack (change-contact-mobile, change-security-mobile,
 * change-contact-email, change-verification-email, change-login-email): the new value in a
 * modal, then the code loop (code-challenge.ts); "edit again" goes back to the value.
 */

const ValueInput = { block: 'value', action: 'value' } as const;

const FIELD_TITLES: Record<AccountAddressField, FlowId> = {
  contactMobile: 'changeContactMobile',
  securityMobile: 'changeSecurityMobile',
  contactEmail: 'changeContactEmail',
  verificationEmail: 'changeVerificationEmail',
  loginEmail: 'changeLoginEmail',
};

export function valueModal(flowId: string, title: string, field: AccountAddressField): ModalView {
  return flowModal(ModalCallbacks.value, flowId, title, [
    {
      type: 'input',
      block_id: ValueInput.block,
      label: plain(slack.modal.valueLabel[field]),
      hint: plain(slack.modal.valueHint[field]),
      element: {
        type: field.endsWith('Email') ? 'email_text_input' : 'plain_text_input',
        action_id: ValueInput.action,
        // Slack's email input takes no max_length; the server checks 254 all the same.
        ...(field.endsWith('Email') ? {} : { max_length: TEXT_LIMITS.phone }),
      },
    } as KnownBlock,
  ]);
}

/** The validator's sentence when the flow stayed on the value step. */
function valueRefusal(result: EngineResult, timings: FlowTimings): string | null {
  if (result.status !== 'active' || result.view === null || result.view.meta.view !== 'enterValue')
    return null;
  return fieldErrorOf(result.view) ?? flowSentence(result.view.notice, timings);
}

function enterValueBody(view: Extract<FlowView, { view: 'enterValue' }>, input: BodyInput): ViewBody {
  const lines: string[] = [slack.flowMessage.enterValue];
  const error = fieldErrorOf(view);
  if (error) lines.push(`:warning: ${escapeMrkdwn(error)}`);
  return {
    lines,
    buttons: [
      button(slack.buttons.enterValue, FlowActions.enterValue, {
        value: valueButtonValue(view.meta.field, input.flowId),
        style: 'primary',
      }),
      input.cancel,
    ],
  };
}

export const contactChangeSlack: SlackFlowSurface = {
  views: { enterValue: enterValueBody },
  buttons: [
    {
      // Carries "<field> <flowId>": the modal opens before any slow work.
      actionId: FlowActions.enterValue,
      handle: async (_kit, { body, action, client }) => {
        const parsed = parseValueButton(action.value ?? '');
        if (!parsed) return;
        await openModal(
          client,
          body.trigger_id,
          valueModal(parsed.flowId, flowTitle(FIELD_TITLES[parsed.field]), parsed.field),
        );
      },
    },
    eventButton(FlowActions.editValue, { type: 'EDIT_VALUE' }),
  ],
  modals: [
    {
      callbackId: ModalCallbacks.value,
      claimsDelivery: true,
      handle: async (kit, submission) => {
        const { ack, view } = submission;
        const value = textValue(view.state.values, ValueInput);
        if (value === '') {
          await ack({ response_action: 'errors', errors: { [ValueInput.block]: slack.modal.valueRequired } });
          return;
        }
        await answerFieldSubmission(
          kit,
          submission,
          ValueInput.block,
          { type: 'SUBMIT_VALUE', value },
          valueRefusal,
        );
      },
    },
  ],
};
