import type { App } from '@slack/bolt';
import { slackFlows } from '../flows/index.js';
import { flowControlsSlack } from './actions/flow-buttons.js';
import { notMeSlack } from './actions/not-me.js';
import { reviewSlack } from './actions/review.js';
import { register as accountCommand } from './commands/account.js';
import { register as appHomeOpened } from './events/app-home-opened.js';
import { register as appMention } from './events/app-mention.js';
import { registerDispatch, SurfaceTable } from './dispatch.js';
import type { SlackKit } from './kit.js';
import { register as directMessages } from './messages/direct-message.js';

/** Every button and modal: each flow's from src/slack/flows/, and the ones every flow shares. */
export const slackSurfaces = new SurfaceTable([...slackFlows, flowControlsSlack, notMeSlack, reviewSlack]);

/** Every listener of the app, one per payload kind; buttons and modals through the table, ahead of them. */
export function registerListeners(app: App, kit: SlackKit): void {
  appHomeOpened(app, kit);
  appMention(app, kit);
  directMessages(app, kit);
  accountCommand(app, kit);
  registerDispatch(app, kit, slackSurfaces);
}
