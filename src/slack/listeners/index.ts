import type { App } from '@slack/bolt';
import { register as basicInfoButtons } from './actions/basic-info.js';
import { register as flowButtons } from './actions/flow-buttons.js';
import { register as identityButtons } from './actions/identity.js';
import { register as modalOpeners } from './actions/modal-openers.js';
import { register as notMe } from './actions/not-me.js';
import { register as reviewActions } from './actions/review.js';
import { register as accountCommand } from './commands/account.js';
import { register as appHomeOpened } from './events/app-home-opened.js';
import { register as appMention } from './events/app-mention.js';
import type { SlackKit } from './kit.js';
import { register as directMessages } from './messages/direct-message.js';
import { register as basicInfoForm } from './views/basic-info-form.js';
import { register as flowModals } from './views/flow-modals.js';
import { register as identityForm } from './views/identity-form.js';

/** Every listener of the app. Each module registers its own; none holds account rules. */
export function registerListeners(app: App, kit: SlackKit): void {
  appHomeOpened(app, kit);
  directMessages(app, kit);
  accountCommand(app, kit);
  flowButtons(app, kit);
  modalOpeners(app, kit);
  flowModals(app, kit);
  identityButtons(app, kit);
  identityForm(app, kit);
  basicInfoButtons(app, kit);
  basicInfoForm(app, kit);
  appMention(app, kit);
  notMe(app, kit);
  reviewActions(app, kit);
}
