import { webApi, type App } from '@slack/bolt';
import { support } from '../../../messages/support.js';
import { isSupportVerb, runSupportAction } from '../../support/commands.js';
import { errorText } from '../../support/support-kit.js';
import { handOffDm, textMessage } from '../../views/support.js';
import { parsePhrase } from '../../phrases.js';
import { actOnIntent } from '../intents.js';
import type { SlackKit } from '../kit.js';

/** The words after the app's mention: `<@BOT> lookup <@U1>` → ['lookup', '<@U1>']. */
export function mentionWords(text: string, botUserId: string | undefined): string[] {
  const withoutBot = botUserId ? text.split(`<@${botUserId}>`).join(' ') : text;
  return withoutBot.trim().split(/\s+/).filter(Boolean);
}

/**
 * A mention in a channel. Agents' commands are answered to them alone in the thread; every
 * other mention gets a short public reply in the thread and the work moves to a DM. Nothing
 * secret is asked for or shown in the channel.
 */
export function register(app: App, kit: SlackKit): void {
  app.event('app_mention', async ({ event, client, context }) => {
    const userId = event.user;
    if (userId === undefined) return;
    const teamId = context.teamId ?? event.team ?? '';
    const thread = event.thread_ts ?? event.ts;
    const [first = '', ...rest] = mentionWords(event.text, context.botUserId);
    const verb = first.toLowerCase();
    try {
      const supportKit = kit.support;
      if (verb === 'help' && (await supportKit.agents.includes(userId))) {
        await client.chat.postEphemeral({
          channel: event.channel,
          user: userId,
          thread_ts: thread,
          ...textMessage(support.mention.agentHelp),
        });
        return;
      }
      if (isSupportVerb(verb)) {
        const answer = await runSupportAction(kit.support, { teamId, userId }, verb, rest.join(' '));
        await client.chat.postEphemeral({
          channel: event.channel,
          user: userId,
          thread_ts: thread,
          ...answer,
        });
        return;
      }
      // The DM is where the work goes on: a thread reply Slack refuses does not keep it from there.
      await client.chat
        .postMessage({
          channel: event.channel,
          thread_ts: thread,
          ...textMessage(support.mention.handOff(userId)),
        })
        .catch((error: unknown) =>
          kit.deps.logger.warn({ err: errorText(error) }, 'hand-off reply in the thread could not be posted'),
        );
      const asked = parsePhrase([first, ...rest].join(' '));
      const moved =
        asked.kind === 'start' || asked.kind === 'info'
          ? actOnIntent(kit, client, { teamId, userId }, asked)
          : client.chat.postMessage({ channel: userId, ...handOffDm() });
      await moved.catch(async (error: unknown) => {
        // A store or the directory down is not a DM Slack refused: the failure answer says so in the DM.
        if (!isWebApiError(error)) throw error;
        kit.deps.logger.warn({ err: errorText(error) }, 'hand-off DM could not be opened');
        await client.chat.postMessage({
          channel: event.channel,
          thread_ts: thread,
          ...textMessage(support.mention.dmFailed(userId)),
        });
      });
    } catch (error) {
      if (!isWebApiError(error)) throw error;
      kit.deps.logger.error({ err: errorText(error) }, 'channel mention could not be answered');
    }
  });
}

/** Slack refusing or failing a Web API call, as opposed to our stores, the directory or our own code. */
function isWebApiError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (Object.values(webApi.ErrorCode) as string[]).includes(code);
}
