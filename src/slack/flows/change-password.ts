import { FlowActions } from '../action-ids.js';
import { eventButton, linkButton, type SlackFlowSurface } from '../listeners/flow-surface.js';

/**
 * SPEC 3.8 in Slack: after step-up (code-challenge.ts) the DM message carries a button to
 * the change-password page; the password itself is only ever typed on that page.
 */
export const changePasswordSlack: SlackFlowSurface = {
  buttons: [
    linkButton(FlowActions.openPasswordPage),
    eventButton(FlowActions.renewLink, { type: 'RENEW_LINK' }),
  ],
  modals: [],
};
