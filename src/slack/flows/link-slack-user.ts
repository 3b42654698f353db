import { slack } from '../../messages/slack.js';
import { FlowActions } from '../action-ids.js';
import { eventButton, type SlackFlowSurface } from '../listeners/flow-surface.js';
import { button } from '../views/blocks.js';
import type { BodyInput, ViewBody } from '../views/flow-body.js';

/**
 * SPEC 3.11 in Slack: the Slack profile's email is matched to a login email and confirmed
 * with a code (code-challenge.ts); with no match the person may ask support to link them.
 */
function noAccountMatchBody(_view: unknown, { flowId, cancel }: BodyInput): ViewBody {
  return {
    lines: [slack.flowMessage.noAccountMatch],
    buttons: [
      button(slack.buttons.notifySupport, FlowActions.notifySupport, { value: flowId, style: 'primary' }),
      cancel,
    ],
  };
}

export const linkSlackUserSlack: SlackFlowSurface = {
  views: { noAccountMatch: noAccountMatchBody },
  buttons: [eventButton(FlowActions.notifySupport, { type: 'NOTIFY_SUPPORT' })],
  modals: [],
};
