import type { webApi } from '@slack/bolt';
import type { Account } from '../../domain/account.js';
import { slack } from '../../messages/slack.js';
import { ownerOf, type SlackActor } from '../flow-ui.js';
import { loadHomeModel } from '../home-model.js';
import type { Intent } from '../phrases.js';
import { helpMessage } from '../views/help.js';
import { homeView } from '../views/home.js';
import { menuMessage } from '../views/menu.js';
import type { SlackKit } from './kit.js';

/**
 * Carries out what a person asked for in the DM or with `/account`; answers in the DM.
 * `account`: the linked account when the caller read it already for this request.
 */
export async function actOnIntent(
  kit: SlackKit,
  client: webApi.WebClient,
  actor: SlackActor,
  intent: Intent,
  account?: Account,
): Promise<void> {
  const dm = (message: { text: string; blocks?: unknown[] }) =>
    client.chat.postMessage({
      channel: actor.userId,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks as never } : {}),
    });
  switch (intent.kind) {
    case 'start':
      await kit.ui.start(client, actor, intent.machineId, account ? { account } : {});
      return;
    case 'info': {
      const linked = account ?? (await kit.ui.linkedAccount(actor));
      if (linked === null) {
        await kit.ui.startLink(client, actor);
        return;
      }
      const view = homeView(await loadHomeModel(kit.deps, actor, linked));
      await dm({ text: slack.home.title, blocks: view.blocks });
      return;
    }
    case 'help':
      await dm(helpMessage());
      return;
    case 'cancel': {
      const active = await kit.deps.engine.active(ownerOf(actor));
      if (active === null) {
        await dm({ text: slack.menu.nothingToCancel });
        return;
      }
      await kit.ui.cancel(client, actor, active.flowId);
      return;
    }
    case 'menu':
      await dm(menuMessage());
      return;
    case 'unknown':
      await dm(menuMessage(slack.menu.notUnderstood));
      return;
    case 'support':
      // Support subcommands are answered by the command listener, which can respond privately.
      return;
  }
}
