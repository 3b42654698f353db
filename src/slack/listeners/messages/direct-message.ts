import type { App } from '@slack/bolt';
import { parsePhrase } from '../../phrases.js';
import { actOnIntent } from '../intents.js';
import type { SlackKit } from '../kit.js';

/** Plain words in the DM: "change my mobile", "forgot password", "help", "cancel", or the menu. */
export function register(app: App, kit: SlackKit): void {
  app.message(async ({ message, body, client }) => {
    if (message.channel_type !== 'im' || message.subtype !== undefined) return;
    const actor = { teamId: (body as { team_id: string }).team_id, userId: message.user };
    const account = await kit.ui.linkedAccount(actor);
    if (account === null) {
      const intent = parsePhrase(message.text ?? '');
      // Resetting a forgotten password needs no linked account; everything else links first.
      if (intent.kind === 'start' && intent.machineId === 'resetPassword') {
        await actOnIntent(kit, client, actor, intent);
        return;
      }
      if (intent.kind === 'help') {
        await actOnIntent(kit, client, actor, intent);
        return;
      }
      await kit.ui.startLink(client, actor);
      return;
    }
    await actOnIntent(kit, client, actor, parsePhrase(message.text ?? ''), account);
  });
}
