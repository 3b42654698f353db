import type { App } from '@slack/bolt';
import { slack } from '../../../messages/slack.js';
import { parseCommand } from '../../phrases.js';
import { unknownSubcommandText } from '../../views/help.js';
import { actOnIntent } from '../intents.js';
import type { SlackKit } from '../kit.js';

/** `/account [info|mobile|email|password|reset|verify|help]`; support subcommands are delegated. */
export function register(app: App, kit: SlackKit): void {
  app.command('/account', async ({ command, ack, client, respond }) => {
    const intent = parseCommand(command.text);
    const actor = { teamId: command.team_id, userId: command.user_id };
    if (intent.kind === 'unknown') {
      await ack({ response_type: 'ephemeral', text: unknownSubcommandText(intent.given) });
      return;
    }
    if (intent.kind === 'support') {
      await ack();
      // The response_url works in every channel; chat.postEphemeral fails where the bot is not a member.
      const privately = async (text: string) => {
        await respond({ response_type: 'ephemeral', text });
      };
      await kit.supportCommand({
        actor,
        channelId: command.channel_id,
        subcommand: intent.subcommand,
        args: intent.args,
        respond: privately,
      });
      return;
    }
    // In a channel the conversation moves to the DM; nothing about the account is said there.
    const inChannel = !command.channel_id.startsWith('D');
    await ack(inChannel ? { response_type: 'ephemeral', text: slack.refusals.channelOnly } : undefined);
    await actOnIntent(kit, client, actor, intent);
  });
}
