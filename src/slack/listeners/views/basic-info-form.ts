import type { App, ViewSubmitAction } from '@slack/bolt';
import { BASIC_INFO_MODAL_CALLBACK } from '../../action-ids.js';
import type { SlackActor } from '../../flow-ui.js';
import type { SlackKit } from '../kit.js';
import { answerFormSubmission } from './form-answer.js';

type Values = ViewSubmitAction['view']['state']['values'];

function valuesOf(values: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, actions] of Object.entries(values)) {
    const state = actions[field];
    const value = state?.selected_option?.value ?? state?.value ?? '';
    out[field] = value.trim();
  }
  return out;
}

/** SPEC 3.2 form: saved by the engine; a field that fails validation keeps the modal open. */
export function register(app: App, kit: SlackKit): void {
  app.view<ViewSubmitAction>(BASIC_INFO_MODAL_CALLBACK, async ({ ack, body, view, client }) => {
    const actor: SlackActor = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
    const result = await kit.deps.engine.send(
      `slack:${actor.teamId}:${actor.userId}`,
      view.private_metadata,
      {
        type: 'SUBMIT_FORM',
        values: valuesOf(view.state.values),
      },
    );
    await answerFormSubmission(kit, { ack, view, client }, actor, result, 'editBasicInfo');
  });
}
