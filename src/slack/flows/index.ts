import type { SlackFlowSurface } from '../listeners/flow-surface.js';
import type { ViewRenderers } from '../views/flow-body.js';
import { changePasswordSlack } from './change-password.js';
import { codeChallengeSlack } from './code-challenge.js';
import { contactChangeSlack } from './contact-change.js';
import { editBasicInfoSlack } from './edit-basic-info.js';
import { identityVerificationSlack } from './identity-verification.js';
import { linkSlackUserSlack } from './link-slack-user.js';
import { resetPasswordSlack } from './reset-password.js';
import { unlockAccountSlack } from './unlock-account.js';

/** Every flow's Slack surface: its own buttons and modals, one file per flow. */
export const slackFlows: readonly SlackFlowSurface[] = [
  codeChallengeSlack,
  contactChangeSlack,
  changePasswordSlack,
  resetPasswordSlack,
  editBasicInfoSlack,
  identityVerificationSlack,
  linkSlackUserSlack,
  unlockAccountSlack,
];

/** Every flow's view renderers in one table: each view is rendered by exactly one flow's file. */
export const slackViews: ViewRenderers = Object.assign({}, ...slackFlows.map((flow) => flow.views));
