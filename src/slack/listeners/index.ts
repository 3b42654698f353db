import type { App } from '@slack/bolt';
import { slackFlows } from '../flows/index.js';
import { register as flowButtons } from './actions/flow-buttons.js';
import { register as notMe } from './actions/not-me.js';
import { register as reviewActions } from './actions/review.js';
import { register as accountCommand } from './commands/account.js';
import { register as appHomeOpened } from './events/app-home-opened.js';
import { register as appMention } from './events/app-mention.js';
import { registerSurface } from './flow-surface.js';
import type { SlackKit } from './kit.js';
import { register as directMessages } from './messages/direct-message.js';

/** Every listener of the app: the generic ones here, each flow's own from src/slack/flows/. */
export function registerListeners(app: App, kit: SlackKit): void {
  appHomeOpened(app, kit);
  directMessages(app, kit);
  accountCommand(app, kit);
  flowButtons(app, kit);
  for (const surface of slackFlows) registerSurface(app, kit, surface);
  appMention(app, kit);
  notMe(app, kit);
  reviewActions(app, kit);
}
