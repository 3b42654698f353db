import { FlowActions } from '../action-ids.js';
import { eventButton, type SlackFlowSurface } from '../listeners/flow-surface.js';

/**
 * SPEC 3.11 in Slack: the Slack profile's email is matched to a login email and confirmed
 * with a code (code-challenge.ts); with no match the person may ask support to link them.
 */
export const linkSlackUserSlack: SlackFlowSurface = {
  buttons: [eventButton(FlowActions.notifySupport, { type: 'NOTIFY_SUPPORT' })],
  modals: [],
};
