import { slack } from '../../messages/slack.js';
import { START_FLOW_PREFIX } from '../action-ids.js';
import type { SlackFlowSurface } from '../listeners/flow-surface.js';
import { actions, button, type KnownBlock } from '../views/blocks.js';

/**
 * SPEC 3.12 in Slack: started from Home (the button shows while the directory has the account
 * locked) or by "unlock my account" in the DM. Its step-up is code-challenge.ts; the flow
 * itself has no buttons or modals of its own.
 */
export const unlockAccountSlack: SlackFlowSurface = { views: {}, buttons: [], modals: [] };

/** The Home block that offers the flow to a person the directory has locked out. */
export function unlockAccountEntry(): KnownBlock {
  return actions('home_unlock', [
    button(slack.flowTitles.unlockAccount, `${START_FLOW_PREFIX}unlockAccount`, {
      value: 'unlockAccount',
      style: 'primary',
    }),
  ]);
}
