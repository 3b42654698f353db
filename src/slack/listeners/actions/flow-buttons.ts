import type { App, BlockButtonAction } from '@slack/bolt';
import { FlowActions, REPLACE_FLOW_ACTION_ID, START_FLOW_PATTERN } from '../../action-ids.js';
import type { SlackKit } from '../kit.js';
import { actorOf, locationOf } from '../payload.js';

/** Buttons any flow's message may carry: start, cancel, resume, cancel-and-start. */
export function register(app: App, kit: SlackKit): void {
  app.action<BlockButtonAction>(START_FLOW_PATTERN, async ({ ack, body, action, client }) => {
    await ack();
    await kit.ui.start(client, actorOf(body), action.value ?? '');
  });

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
}
