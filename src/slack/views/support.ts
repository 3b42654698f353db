import { minuteUtc } from '../../messages/codes.js';
import { directory } from '../../messages/directory.js';
import { slack } from '../../messages/slack.js';
import { support } from '../../messages/support.js';
import type { SupportSummary } from '../../services/support.js';
import { formatDate } from '../account-summary.js';
import { RESET_OFFER_ACTION_ID } from '../support/action-ids.js';
import { actions, button, context, escapeMrkdwn, header, section, type KnownBlock } from './blocks.js';
import { menuBlocks } from './menu.js';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const field = (label: string, value: string): string => `*${label}:* ${value}`;

/** The masked summary an agent sees, visible to them only (ephemeral or command response). */
export function lookupMessage(targetUserId: string, summary: SupportSummary): SlackMessage {
  const l = support.lookup;
  const lock =
    summary.lock === null
      ? l.unlocked
      : l.locked(escapeMrkdwn(summary.lock.reason), formatDate(summary.lock.at));
  const lines = [
    field(l.accountId, summary.accountId),
    field(l.loginEmail, escapeMrkdwn(summary.loginEmail ?? slack.home.notSet)),
    field(l.securityMobile, escapeMrkdwn(summary.securityMobile ?? slack.home.notSet)),
    field(l.verification, slack.verificationStatus[summary.verification]),
    field(l.selfService, lock),
    ...(summary.directoryLockedAt == null
      ? []
      : [field(directory.support.label, directory.support.locked(minuteUtc(summary.directoryLockedAt)))]),
    field(
      l.codesLocked,
      summary.codesLockedUntil === null
        ? l.codesOpen
        : l.codesLockedValue(minuteUtc(summary.codesLockedUntil)),
    ),
  ];
  const recent =
    summary.recent.length === 0
      ? l.noRecent
      : summary.recent
          .map(
            (event) =>
              `• ${minuteUtc(event.at)} ${escapeMrkdwn(event.action)} (${escapeMrkdwn(event.outcome)})`,
          )
          .join('\n');
  const summaryText = `${l.title(targetUserId)}\n${lines.join('\n')}`;
  const recentText = `*${l.recent}*\n${recent}`;
  return {
    // The text carries everything too: a command response shows only text.
    text: [summaryText, recentText, l.masked].join('\n\n'),
    blocks: [header(slack.home.title), section(summaryText), section(recentText), context(l.masked)],
  };
}

/** The DM a reset offer sends: one button that starts the reset flow, never a link. */
export function resetOfferMessage(): SlackMessage {
  return {
    text: support.resetOffer.dmText,
    blocks: [
      section(support.resetOffer.dmText),
      actions('support_reset_offer', [
        button(support.resetOffer.button, RESET_OFFER_ACTION_ID, {
          value: 'resetPassword',
          style: 'primary',
        }),
      ]),
    ],
  };
}

/** The requester's DM after a channel mention: why we moved, and the menu. */
export function handOffDm(): SlackMessage {
  return { text: support.mention.dmIntro, blocks: menuBlocks(support.mention.dmIntro) };
}

export function textMessage(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}
