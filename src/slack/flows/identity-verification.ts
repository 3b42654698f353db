import type { ViewSubmitAction } from '@slack/bolt';
import type { IdentityDetails, IdentitySubject } from '../../../machines/shared/effects.js';
import { slack } from '../../messages/slack.js';
import { TEXT_LIMITS } from '../../services/validation.js';
import { choiceValue, parseChoice } from '../action-ids.js';
import { answerFormSubmission } from '../listeners/form-answer.js';
import { choiceButton, eventButton, openModal, type SlackFlowSurface } from '../listeners/flow-surface.js';
import { actorOf } from '../listeners/payload.js';
import { windowOf } from '../answer/request-window.js';
import { stageDocumentUpload } from '../uploads/document-upload.js';
import {
  button,
  escapeMrkdwn,
  context,
  modalTitle,
  plain,
  type Button,
  type KnownBlock,
  type ModalView,
} from '../views/blocks.js';
import type { FlowView } from '../../../machines/shared/flow-view.js';
import type { BodyInput, ViewBody } from '../views/flow-body.js';
import { fieldErrorsOf } from '../views/flow-message.js';
import { slackOwner } from '../../domain/flow-owner.js';

/** SPEC 3.10 in Slack: subject, warnings, the form (a modal), resubmission. */

/** Values are "<choice> <flowId>" or the flow id. */
const IdentityActions = {
  chooseSubject: 'identity_subject',
  acknowledge: 'identity_acknowledge',
  back: 'identity_back',
  openForm: 'identity_open_form',
  resubmit: 'identity_resubmit',
} as const;

export const IDENTITY_MODAL_CALLBACK = 'identity_form';

const t = slack.identity;

/** Lines and buttons of the identity flow's DM message for its waiting states. */
function identityStep(
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

type Values = ViewSubmitAction['view']['state']['values'];

function text(values: Values, field: string): string {
  return (values[field]?.[field]?.value ?? '').trim();
}

/** The Slack file id of the form's upload, if one was attached. */
function uploadOf(values: Values): { field: 'documentImage' | 'licenceImage'; fileId: string } | null {
  for (const field of ['documentImage', 'licenceImage'] as const) {
    const fileId = values[field]?.[field]?.files?.[0]?.id;
    if (fileId) return { field, fileId };
  }
  return null;
}

function detailsOf(values: Values, imageRef: string | undefined): IdentityDetails {
  if (values.companyName) {
    return {
      subject: 'organization',
      companyName: text(values, 'companyName'),
      businessLicenceNumber: text(values, 'businessLicenceNumber'),
      registeredRegion: text(values, 'registeredRegion').toUpperCase(),
      ...(imageRef ? { licenceImageId: imageRef } : {}),
    };
  }
  const type = values.documentType?.documentType?.selected_option?.value;
  return {
    subject: 'individual',
    documentType: type === 'driversLicense' || type === 'workPermit' ? type : 'passport',
    fullLegalName: text(values, 'fullLegalName'),
    documentNumber: text(values, 'documentNumber'),
    issuingRegion: text(values, 'issuingRegion').toUpperCase(),
    ...(imageRef ? { documentImageId: imageRef } : {}),
  };
}

function identityStepBody(
  view: Extract<
    FlowView,
    { view: 'identitySubject' | 'identityWarnings' | 'identityForm' | 'identityRejected' }
  >,
  { flowId, cancel }: BodyInput,
): ViewBody {
  const step = identityStep(view.view, flowId, view.context.subject);
  const problems = Object.values(fieldErrorsOf(view));
  const lines =
    problems.length > 0 && view.view === 'identityForm'
      ? [
          ...step.lines,
          `:warning: ${slack.identity.formProblem}`,
          ...problems.map((problem) => `• ${escapeMrkdwn(problem)}`),
        ]
      : step.lines;
  return { lines, buttons: [...step.buttons, cancel] };
}

function identityPendingBody(view: Extract<FlowView, { view: 'identityPending' }>): ViewBody {
  const expectedBy = view.context.expectedBy;
  const date = expectedBy === null ? '' : new Date(expectedBy).toISOString().slice(0, 10);
  return { lines: [slack.flowMessage.identityPending(date)], buttons: [] };
}

export const identityVerificationSlack: SlackFlowSurface = {
  views: {
    identitySubject: identityStepBody,
    identityWarnings: identityStepBody,
    identityForm: identityStepBody,
    identityRejected: identityStepBody,
    identityPending: identityPendingBody,
  },
  buttons: [
    choiceButton(new RegExp(`^${IdentityActions.chooseSubject}:`), (choice) =>
      choice === 'individual' || choice === 'organization'
        ? { type: 'CHOOSE_SUBJECT', subject: choice }
        : null,
    ),
    eventButton(IdentityActions.acknowledge, { type: 'ACKNOWLEDGE_WARNINGS' }),
    eventButton(IdentityActions.back, { type: 'BACK' }),
    eventButton(IdentityActions.resubmit, { type: 'RESUBMIT' }),
    {
      actionId: IdentityActions.openForm,
      handle: async (kit, { body, action, client }) => {
        const parsed = parseChoice(action.value ?? '');
        if (!parsed) return;
        const subject = parsed.choice === 'organization' ? 'organization' : 'individual';
        await openModal(client, body.trigger_id, identityModal(parsed.flowId, subject));
      },
    },
  ],
  modals: [
    {
      callbackId: IDENTITY_MODAL_CALLBACK,
      /**
       * An attached image is fetched, checked and sealed first (a refused file is answered
       * with its field error and nothing else happens); the document number goes straight
       * into the engine event (never stored by this layer); validation problems come back as
       * field errors on the matching inputs.
       */
      handle: async (kit, submission) => {
        const { ack, body, view, client } = submission;
        const actor = actorOf(body);
        const upload = uploadOf(view.state.values);
        let imageRef: string | undefined;
        if (upload) {
          const staged = await stageDocumentUpload(kit.deps, client, actor, upload.fileId);
          if (!staged.ok) {
            // A slow document store may outlast Slack's window: the form is closed by then.
            if (windowOf(body)?.acked)
              await client.chat.postMessage({ channel: actor.userId, text: staged.error });
            else await ack({ response_action: 'errors', errors: { [upload.field]: staged.error } });
            return;
          }
          imageRef = staged.ref;
        }
        const result = await kit.deps.engine.send(slackOwner(actor), view.private_metadata, {
          type: 'SUBMIT_IDENTITY',
          details: detailsOf(view.state.values, imageRef),
        });
        await answerFormSubmission(kit, submission, actor, result, 'identityForm');
      },
    },
  ],
};
