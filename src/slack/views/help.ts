import { slack } from '../../messages/slack.js';
import { escapeMrkdwn, header, section, type KnownBlock } from './blocks.js';
import { menuBlocks } from './menu.js';

export function helpMessage(): { text: string; blocks: KnownBlock[] } {
  return {
    text: slack.help.title,
    blocks: [header(slack.help.title), section(slack.help.body), ...menuBlocks(slack.menu.intro)],
  };
}

/** The answer to `/account <word>` for a word it does not know; the word is shown, inert. */
export function unknownSubcommandText(given: string): string {
  return slack.refusals.unknownSubcommand(escapeMrkdwn(given));
}
