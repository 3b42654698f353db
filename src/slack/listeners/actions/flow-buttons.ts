import type { webApi } from '@slack/bolt';
import { isFlowId } from '../../../engine/flow-registry.js';
import type { MessageLocation } from '../../../ports/flow-messages.js';
import { FlowActions, REPLACE_FLOW_ACTION_ID, START_FLOW_PATTERN } from '../../action-ids.js';
import type { SlackActor } from '../../flow-ui.js';
import type { SlackSurface } from '../flow-surface.js';
import { actOnIntent } from '../intents.js';
import type { SlackKit } from '../kit.js';
import { actorOf, locationOf } from '../payload.js';

/** Buttons any flow's message may carry: start, cancel, resume, cancel-and-start. */
export const flowControlsSlack: SlackSurface = {
  buttons: [
    {
      actionId: START_FLOW_PATTERN,
      handle: async (kit, { body, action, client }) => {
        await startNamed(kit, client, actorOf(body), action.value ?? '');
      },
    },
    {
      actionId: FlowActions.cancel,
      claimsDelivery: true,
      handle: async (kit, { body, action, client, claim }) => {
        await kit.ui.cancel(client, actorOf(body), action.value ?? '', locationOf(body), claim);
      },
    },
    {
      actionId: FlowActions.resume,
      handle: async (kit, { body, action, client }) => {
        await kit.ui.resume(client, actorOf(body), action.value ?? '', locationOf(body));
      },
    },
    {
      actionId: REPLACE_FLOW_ACTION_ID,
      handle: async (kit, { body, action, client }) => {
        const at = locationOf(body);
        await startNamed(kit, client, actorOf(body), action.value ?? '', {
          replaceActive: true,
          ...(at ? { at } : {}),
        });
      },
    },
  ],
  modals: [],
};

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
