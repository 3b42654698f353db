import type { App, BlockButtonAction, webApi } from '@slack/bolt';
import { isFlowId } from '../../../engine/flow-registry.js';
import type { MessageLocation } from '../../../ports/flow-messages.js';
import { FlowActions, REPLACE_FLOW_ACTION_ID, START_FLOW_PATTERN } from '../../action-ids.js';
import type { SlackActor } from '../../flow-ui.js';
import { actOnIntent } from '../intents.js';
import type { SlackKit } from '../kit.js';
import { actorOf, locationOf } from '../payload.js';

/** Buttons any flow's message may carry: start, cancel, resume, cancel-and-start. */
export function register(app: App, kit: SlackKit): void {
  app.action<BlockButtonAction>(START_FLOW_PATTERN, async ({ ack, body, action, client }) => {
    await ack();
    await startNamed(kit, client, actorOf(body), action.value ?? '');
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
    await startNamed(kit, client, actorOf(body), action.value ?? '', {
      replaceActive: true,
      ...(at ? { at } : {}),
    });
  });
}

/** A button names the flow it starts; one no flow answers to gets the menu. */
async function startNamed(
  kit: SlackKit,
  client: webApi.WebClient,
  actor: SlackActor,
  machineId: string,
  options: { replaceActive?: boolean; at?: MessageLocation } = {},
): Promise<void> {
  if (isFlowId(machineId)) await kit.ui.start(client, actor, machineId, options);
  else await actOnIntent(kit, client, actor, { kind: 'unknown', given: machineId });
}
