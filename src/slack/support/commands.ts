import { TemporarilyUnavailableError } from '../../core/errors.js';
import { support } from '../../messages/support.js';
import type { SlackPersonRef, SupportRefusal } from '../../services/support.js';
import type { SupportCommandHandler } from '../listeners/kit.js';
import { lookupMessage, textMessage, type SlackMessage } from '../views/support.js';
import { errorText, type SupportKit } from './support-kit.js';

const SUPPORT_VERBS = ['lookup', 'unlock', 'reset-offer'] as const;

export type SupportVerb = (typeof SUPPORT_VERBS)[number];

export function isSupportVerb(word: string): word is SupportVerb {
  return (SUPPORT_VERBS as readonly string[]).includes(word);
}

/** The one Slack user named: a mention (`<@U123>` or `<@U123|name>`) or a bare user id. */
export function parseTargetUser(args: string): string | null {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words.length !== 1) return null;
  const match =
    /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(words[0] ?? '') ?? /^([UW][A-Z0-9]+)$/.exec(words[0] ?? '');
  return match?.[1] ?? null;
}

/**
 * Runs one support action for `agent` and returns what the agent is told (visible to them
 * only). Refusals, unknown users and outages are answers too; nothing is thrown.
 */
export async function runSupportAction(
  kit: SupportKit,
  agent: SlackPersonRef,
  verb: SupportVerb,
  args: string,
): Promise<SlackMessage> {
  const targetUserId = parseTargetUser(args);
  if (targetUserId === null) {
    return textMessage(
      (await kit.agents.includes(agent.userId)) ? support.commands.usage : support.commands.notAgent,
    );
  }
  // Support works inside the one configured workspace; a target is always a member of it.
  const target = { teamId: kit.deps.slack.teamId, userId: targetUserId };
  try {
    switch (verb) {
      case 'lookup': {
        const result = await kit.support.lookup(agent, target);
        if (result.outcome === 'found') return lookupMessage(targetUserId, result.summary);
        return refusal(result.outcome, targetUserId);
      }
      case 'unlock': {
        const result = await kit.support.unlock(agent, target);
        if (result.outcome === 'unlocked') return textMessage(support.unlock.done(targetUserId));
        if (result.outcome === 'directory-refused')
          return textMessage(support.unlock.directoryRefused(targetUserId));
        return refusal(result.outcome, targetUserId);
      }
      case 'reset-offer': {
        const result = await kit.support.sendResetOffer(agent, target);
        if (result.outcome === 'sent') return textMessage(support.resetOffer.sent(targetUserId));
        if (result.outcome === 'undeliverable') return textMessage(support.resetOffer.failed(targetUserId));
        if (result.outcome === 'locked') return textMessage(support.resetOffer.locked);
        return refusal(result.outcome, targetUserId);
      }
    }
  } catch (error) {
    if (error instanceof TemporarilyUnavailableError) return textMessage(support.commands.unavailable);
    kit.deps.logger.error({ verb, err: errorText(error) }, 'support action failed');
    return textMessage(support.commands.failed);
  }
}

function refusal(outcome: SupportRefusal['outcome'], targetUserId: string): SlackMessage {
  switch (outcome) {
    case 'refused':
      return textMessage(support.commands.notAgent);
    case 'own-account':
      return textMessage(support.commands.ownAccount);
    case 'no-account':
      return textMessage(support.commands.unknownUser(targetUserId));
  }
}

/** `/account lookup|unlock|reset-offer @user`, for the /account command to delegate to. */
export function supportCommand(kit: SupportKit): SupportCommandHandler {
  return async ({ actor, subcommand, args, respond }) => {
    const verb = subcommand.toLowerCase();
    if (!isSupportVerb(verb)) {
      await respond(support.commands.usage);
      return;
    }
    const answer = await runSupportAction(kit, actor, verb, args);
    await respond(answer.text);
  };
}
