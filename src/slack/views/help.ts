import { slack } from '../../messages/slack.js';
import { header, section, type KnownBlock } from './blocks.js';
import { menuBlocks } from './menu.js';

export function helpMessage(): { text: string; blocks: KnownBlock[] } {
  return {
    text: slack.help.title,
    blocks: [header(slack.help.title), section(slack.help.body), ...menuBlocks(slack.menu.intro)],
  };
}
