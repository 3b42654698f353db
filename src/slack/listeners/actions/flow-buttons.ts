import type { App, BlockButtonAction } from '@slack/bolt';
import type { FlowEventWithoutNow } from '../../../engine/flow-engine.js';
import { FlowActions, REPLACE_FLOW_ACTION_ID, START_FLOW_PATTERN } from '../../action-ids.js';
import type { SlackKit } from '../kit.js';
import { actorOf, locationOf } from '../payload.js';

/** Buttons that turn into one engine event on the flow named by the button's value. */
const EVENT_BUTTONS: Record<string, FlowEventWithoutNow> = {
  [FlowActions.resend]: { type: 'RESEND' },
  [FlowActions.useAlternate]: { type: 'USE_ALTERNATE' },
  [FlowActions.editValue]: { type: 'EDIT_VALUE' },
  [FlowActions.renewLink]: { type: 'RENEW_LINK' },
  [FlowActions.notifySupport]: { type: 'NOTIFY_SUPPORT' },
};

export function register(app: App, kit: SlackKit): void {
  app.action<BlockButtonAction>(START_FLOW_PATTERN, async ({ ack, body, action, client }) => {
    await ack();
    await kit.ui.start(client, actorOf(body), action.value ?? '');
  });

  for (const [actionId, event] of Object.entries(EVENT_BUTTONS)) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      await kit.ui.send(client, actorOf(body), action.value ?? '', event, locationOf(body));
    });
  }

  app.action<BlockButtonAction>(FlowActions.cancel, async ({ ack, body, action, client }) => {
    await ack();
    await kit.ui.cancel(client, actorOf(body), action.value ?? '', locationOf(body));
  });

  app.action<BlockButtonAction>(FlowActions.resume, async ({ ack, body, action, client }) => {
    await ack();
    await kit.ui.resume(client, actorOf(body), action.value ?? '', locationOf(body));
  });

  app.action<BlockButtonAction>(REPLACE_FLOW_ACTION_ID, async ({ ack, body, action, client }) => {
    await ack();
    const at = locationOf(body);
    await kit.ui.start(client, actorOf(body), action.value ?? '', {
      replaceActive: true,
      ...(at ? { at } : {}),
    });
  });

  // A URL button opens the page in the browser; Slack still sends the click and wants an ack.
  app.action(FlowActions.openPasswordPage, async ({ ack }) => {
    await ack();
  });
}
