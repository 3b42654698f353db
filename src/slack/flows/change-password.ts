import { slack } from '../../messages/slack.js';
import { FlowActions } from '../action-ids.js';
import { eventButton, linkButton, type SlackFlowSurface } from '../listeners/flow-surface.js';
import { button } from '../views/blocks.js';
import type { BodyInput, ViewBody } from '../views/flow-body.js';

/**
 * SPEC 3.8 in Slack: after step-up (code-challenge.ts) the DM message carries a button to
 * the change-password page; the password itself is only ever typed on that page.
 */
function openPasswordPageBody(_view: unknown, { flowId, passwordUrl, cancel }: BodyInput): ViewBody {
  return passwordUrl
    ? {
        lines: [slack.flowMessage.openPasswordPage],
        buttons: [
          button(slack.buttons.openPasswordPage, FlowActions.openPasswordPage, {
            url: passwordUrl,
            style: 'primary',
          }),
          cancel,
        ],
      }
    : {
        lines: [slack.flowMessage.passwordLinkGone],
        buttons: [button(slack.buttons.newLink, FlowActions.renewLink, { value: flowId }), cancel],
      };
}

function passwordLinkExpiredBody(_view: unknown, { flowId, cancel }: BodyInput): ViewBody {
  return {
    lines: [slack.flowMessage.passwordLinkExpired],
    buttons: [
      button(slack.buttons.newLink, FlowActions.renewLink, { value: flowId, style: 'primary' }),
      cancel,
    ],
  };
}

export const changePasswordSlack: SlackFlowSurface = {
  views: { openPasswordPage: openPasswordPageBody, passwordLinkExpired: passwordLinkExpiredBody },
  buttons: [
    linkButton(FlowActions.openPasswordPage),
    eventButton(FlowActions.renewLink, { type: 'RENEW_LINK' }),
  ],
  modals: [],
};
