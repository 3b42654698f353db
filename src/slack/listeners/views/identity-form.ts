import type { App, ViewSubmitAction } from '@slack/bolt';
import type { IdentityDetails } from '../../../../machines/shared/effects.js';
import { IDENTITY_MODAL_CALLBACK } from '../../action-ids.js';
import type { SlackActor } from '../../flow-ui.js';
import { stageDocumentUpload } from '../../uploads/document-upload.js';
import type { SlackKit } from '../kit.js';
import { answerFormSubmission } from './form-answer.js';

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

/**
 * The identity form. An attached image is fetched, checked and sealed first (a refused file
 * is answered with its field error and nothing else happens); the document number goes
 * straight into the engine event (never stored by this layer); validation problems come
 * back as field errors on the matching inputs.
 */
export function register(app: App, kit: SlackKit): void {
  app.view<ViewSubmitAction>(IDENTITY_MODAL_CALLBACK, async ({ ack, body, view, client }) => {
    const actor: SlackActor = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
    const upload = uploadOf(view.state.values);
    let imageRef: string | undefined;
    if (upload) {
      const staged = await stageDocumentUpload(kit.deps, client, actor, upload.fileId);
      if (!staged.ok) {
        await ack({ response_action: 'errors', errors: { [upload.field]: staged.error } });
        return;
      }
      imageRef = staged.ref;
    }
    const details = detailsOf(view.state.values, imageRef);
    const result = await kit.deps.engine.send(
      `slack:${actor.teamId}:${actor.userId}`,
      view.private_metadata,
      {
        type: 'SUBMIT_IDENTITY',
        details,
      },
    );
    await answerFormSubmission(kit, { ack, view, client }, actor, result, 'identityForm');
  });
}
