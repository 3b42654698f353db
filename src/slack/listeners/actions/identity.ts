import type { App, BlockButtonAction } from '@slack/bolt';
import type { FlowEventWithoutNow } from '../../../engine/flow-engine.js';
import { IdentityActions, parseChoice } from '../../action-ids.js';
import { slackError } from '../../flow-ui.js';
import { identityModal } from '../../views/identity.js';
import type { SlackKit } from '../kit.js';
import { actorOf, locationOf } from '../payload.js';

const SIMPLE: Record<string, FlowEventWithoutNow> = {
  [IdentityActions.acknowledge]: { type: 'ACKNOWLEDGE_WARNINGS' },
  [IdentityActions.back]: { type: 'BACK' },
  [IdentityActions.resubmit]: { type: 'RESUBMIT' },
};

/** SPEC 3.10 buttons: subject, warnings, the form (a modal), resubmission. */
export function register(app: App, kit: SlackKit): void {
  app.action<BlockButtonAction>(
    new RegExp(`^${IdentityActions.chooseSubject}:`),
    async ({ ack, body, action, client }) => {
      await ack();
      const parsed = parseChoice(action.value ?? '');
      if (!parsed || (parsed.choice !== 'individual' && parsed.choice !== 'organization')) return;
      await kit.ui.send(
        client,
        actorOf(body),
        parsed.flowId,
        { type: 'CHOOSE_SUBJECT', subject: parsed.choice },
        locationOf(body),
      );
    },
  );

  for (const [actionId, event] of Object.entries(SIMPLE)) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      await kit.ui.send(client, actorOf(body), action.value ?? '', event, locationOf(body));
    });
  }

  app.action<BlockButtonAction>(IdentityActions.openForm, async ({ ack, body, action, client }) => {
    await ack();
    const parsed = parseChoice(action.value ?? '');
    if (!parsed) return;
    const subject = parsed.choice === 'organization' ? 'organization' : 'individual';
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: identityModal(parsed.flowId, subject) });
    } catch (error) {
      kit.deps.logger.warn({ err: slackError(error) }, 'identity form could not be opened');
    }
  });
}
