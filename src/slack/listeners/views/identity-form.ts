import type { App, ViewSubmitAction } from '@slack/bolt';
import type { IdentityDetails } from '../../../../machines/shared/effects.js';
import { IDENTITY_MODAL_CALLBACK } from '../../action-ids.js';
import type { SlackActor } from '../../flow-ui.js';
import type { SlackKit } from '../kit.js';
import { answerFormSubmission } from './form-answer.js';

type Values = ViewSubmitAction['view']['state']['values'];

function text(values: Values, field: string): string {
  return (values[field]?.[field]?.value ?? '').trim();
}

function detailsOf(values: Values): IdentityDetails {
  if (values.companyName) {
    return {
      subject: 'organization',
      companyName: text(values, 'companyName'),
      businessLicenceNumber: text(values, 'businessLicenceNumber'),
      registeredRegion: text(values, 'registeredRegion').toUpperCase(),
    };
  }
  const type = values.documentType?.documentType?.selected_option?.value;
  return {
    subject: 'individual',
    documentType: type === 'driversLicense' || type === 'workPermit' ? type : 'passport',
    fullLegalName: text(values, 'fullLegalName'),
    documentNumber: text(values, 'documentNumber'),
    issuingRegion: text(values, 'issuingRegion').toUpperCase(),
  };
}

/**
 * The identity form. The document number goes straight into the engine event (never stored
 * by this layer); validation problems come back as field errors on the matching inputs.
 */
export function register(app: App, kit: SlackKit): void {
  app.view<ViewSubmitAction>(IDENTITY_MODAL_CALLBACK, async ({ ack, body, view, client }) => {
    const actor: SlackActor = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
    const details = detailsOf(view.state.values);
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
