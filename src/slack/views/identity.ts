import type { IdentitySubject } from '../../../machines/shared/effects.js';
import { slack } from '../../messages/slack.js';
import { TEXT_LIMITS } from '../../services/validation.js';
import { choiceValue, IDENTITY_MODAL_CALLBACK, IdentityActions } from '../action-ids.js';
import {
  button,
  context,
  modalTitle,
  plain,
  type Button,
  type KnownBlock,
  type ModalView,
} from './blocks.js';

const t = slack.identity;

/** Lines and buttons of the identity flow's DM message for its waiting states. */
export function identityStep(
  view: 'identitySubject' | 'identityWarnings' | 'identityForm' | 'identityRejected',
  flowId: string,
  subject: IdentitySubject | null,
): { lines: string[]; buttons: Button[] } {
  switch (view) {
    case 'identitySubject':
      return {
        lines: [t.chooseSubject],
        buttons: [
          button(t.individual, `${IdentityActions.chooseSubject}:individual`, {
            value: choiceValue('individual', flowId),
          }),
          button(t.organization, `${IdentityActions.chooseSubject}:organization`, {
            value: choiceValue('organization', flowId),
          }),
        ],
      };
    case 'identityWarnings':
      return {
        lines: [`*${t.warningsTitle}*`, t.warnings],
        buttons: [
          button(t.acknowledge, IdentityActions.acknowledge, { value: flowId, style: 'primary' }),
          button(t.back, IdentityActions.back, { value: flowId }),
        ],
      };
    case 'identityForm':
      return {
        lines: [t.form],
        buttons: [
          button(t.openForm, IdentityActions.openForm, {
            value: choiceValue(subject ?? 'individual', flowId),
            style: 'primary',
          }),
          button(t.back, IdentityActions.back, { value: flowId }),
        ],
      };
    case 'identityRejected':
      return {
        lines: [slack.flowMessage.identityRejected],
        buttons: [button(t.resubmit, IdentityActions.resubmit, { value: flowId, style: 'primary' })],
      };
  }
}

function textInput(
  field: string,
  label: string,
  options: { hint?: string; maxLength?: number } = {},
): KnownBlock {
  return {
    type: 'input',
    block_id: field,
    label: plain(label),
    ...(options.hint ? { hint: plain(options.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: field,
      ...(options.maxLength ? { max_length: options.maxLength } : {}),
    },
  };
}

/** The document image: one JPEG, PNG or PDF; the app checks the content itself once submitted. */
function imageInput(field: 'documentImage' | 'licenceImage', label: string): KnownBlock {
  return {
    type: 'input',
    block_id: field,
    optional: true,
    label: plain(label),
    hint: plain(t.imageHint),
    element: { type: 'file_input', action_id: field, filetypes: ['jpg', 'jpeg', 'png', 'pdf'], max_files: 1 },
  };
}

/** The submission form; block ids are the machine's field names so field errors map back. */
export function identityModal(flowId: string, subject: IdentitySubject): ModalView {
  const blocks: KnownBlock[] =
    subject === 'individual'
      ? [
          {
            type: 'input',
            block_id: 'documentType',
            label: plain(t.documentType),
            element: {
              type: 'static_select',
              action_id: 'documentType',
              options: (Object.entries(t.documentTypes) as [string, string][]).map(([value, text]) => ({
                text: plain(text),
                value,
              })),
            },
          },
          textInput('fullLegalName', t.fullLegalName, { maxLength: TEXT_LIMITS.fullLegalName }),
          textInput('documentNumber', t.documentNumber, { maxLength: TEXT_LIMITS.documentNumber }),
          textInput('issuingRegion', t.issuingRegion, { hint: t.regionHint, maxLength: 2 }),
          imageInput('documentImage', t.documentImage),
        ]
      : [
          textInput('companyName', t.companyName, { maxLength: TEXT_LIMITS.companyName }),
          textInput('businessLicenceNumber', t.businessLicenceNumber, {
            maxLength: TEXT_LIMITS.documentNumber,
          }),
          textInput('registeredRegion', t.registeredRegion, { hint: t.regionHint, maxLength: 2 }),
          imageInput('licenceImage', t.licenceImage),
        ];
  return {
    type: 'modal',
    callback_id: IDENTITY_MODAL_CALLBACK,
    private_metadata: flowId,
    title: modalTitle(t.modalTitle),
    submit: plain(slack.buttons.submit),
    close: plain(slack.buttons.cancel),
    blocks: [context(t.form), ...blocks],
  };
}
