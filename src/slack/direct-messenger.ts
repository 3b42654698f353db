import type { webApi } from '@slack/bolt';
import type { SlackConfig } from '../config/config.js';
import type { FlowTimings } from '../messages/flows.js';
import type { Logger } from '../core/logger.js';
import { clockTime } from '../messages/codes.js';
import { slack } from '../messages/slack.js';
import type { AccountDirectory } from '../ports/account-directory.js';
import type { DirectMessage, DirectMessenger, FlowOutcome } from '../ports/direct-messenger.js';
import { NOT_ME_ACTION_ID } from './action-ids.js';
import type { FlowMessages } from '../ports/flow-messages.js';
import { slackError } from './flow-ui.js';
import { outcomeMessage } from './views/flow-message.js';
import { actions, button, context, escapeMrkdwn, section, type KnownBlock } from './views/blocks.js';
import { startFlowButton } from './views/menu.js';
import { formatDate } from './account-summary.js';
import { slackUserOf } from '../domain/flow-owner.js';

/** Notices about a change to the account or an attack on it: each carries "This wasn't me". */
const CHANGE_KINDS = new Set<DirectMessage['kind']>([
  'codesLocked',
  'passwordCooldown',
  'securityMobileChanged',
  'verificationEmailChanged',
  'loginEmailChanged',
  'passwordChanged',
  'passwordReset',
  'accountUnlocked',
]);

export function noticeText(message: DirectMessage): string {
  const n = slack.notices;
  switch (message.kind) {
    case 'identityRejected':
      return n.identityRejected(escapeMrkdwn(message.detail.reason ?? ''));
    case 'identityReviewOverdue':
      return n.identityReviewOverdue(
        escapeMrkdwn(message.detail.submission ?? message.detail.submissionId ?? ''),
      );
    case 'linkNoMatch':
      return n.linkNoMatch(slackUserOf(message.owner)?.userId ?? 'someone');
    case 'codesLocked':
      return n.codesLocked(clockTime(Number(message.detail.until)));
    case 'passwordCooldown':
      return n.passwordCooldown(clockTime(Number(message.detail.until)));
    case 'passwordExpiring':
      return n.passwordExpiring(formatDate(Number(message.detail.expiresAt)));
    default:
      return n[message.kind];
  }
}

/** The DM blocks of a notice; change notices get the "This wasn't me" button (value: the kind). */
export function noticeBlocks(message: DirectMessage): KnownBlock[] {
  const text = noticeText(message);
  if (message.kind === 'passwordExpiring') {
    return [
      section(text),
      actions('change_password', [
        startFlowButton('changePassword', slack.notices.changePasswordButton, 'primary'),
      ]),
    ];
  }
  if (!CHANGE_KINDS.has(message.kind)) return [section(text)];
  return [
    section(text),
    context(slack.notices.notMe),
    actions('not_me', [
      button(slack.notices.notMeButton, NOT_ME_ACTION_ID, { value: message.kind, style: 'danger' }),
    ]),
  ];
}

/**
 * The engine's DirectMessenger over chat.postMessage. A Slack owner gets the DM; an
 * `acct:` owner (web pages) reaches every Slack user linked to the account. Support and
 * review notices go to their channels and say nothing secret.
 */
export class SlackDirectMessenger implements DirectMessenger {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly config: SlackConfig,
    private readonly directory: AccountDirectory,
    private readonly logger: Logger,
    private readonly timings: FlowTimings,
    private readonly flowMessages?: FlowMessages,
  ) {}

  async send(message: DirectMessage): Promise<void> {
    if (message.kind === 'linkNoMatch') {
      await this.toChannel(this.config.supportChannelId, message);
      return;
    }
    // Reviewers are reminded in the submission card's thread by the review channel itself.
    if (message.kind === 'identityReviewOverdue') return;
    for (const userId of await this.recipients(message)) {
      await this.post(userId, message);
    }
  }

  /** The flow's DM message shows the outcome in place of the buttons it offered. */
  async showOutcome(owner: string, outcome: FlowOutcome): Promise<void> {
    const slackOwner = slackUserOf(owner);
    if (!this.flowMessages || slackOwner === null) return;
    const { teamId, userId } = slackOwner;
    try {
      const at = await this.flowMessages.find(teamId, userId, outcome.flowId);
      if (!at) return;
      const finished = outcomeMessage(outcome.machineId, outcome.output, this.timings);
      await this.client.chat.update({
        channel: at.channel,
        ts: at.ts,
        text: finished.text,
        blocks: finished.blocks,
      });
      await this.flowMessages.remember(teamId, userId, outcome.flowId, {
        ...at,
        machineId: outcome.machineId,
        ended: true,
      });
    } catch (error) {
      this.logger.warn(
        { flowId: outcome.flowId, err: slackError(error) },
        'flow message could not show the outcome',
      );
    }
  }

  private async recipients(message: DirectMessage): Promise<string[]> {
    const owner = slackUserOf(message.owner);
    if (owner?.teamId === this.config.teamId) return [owner.userId];
    if (message.accountId === null) return [];
    const account = await this.directory.getById(message.accountId);
    return (account?.slackUsers ?? [])
      .filter((ref) => ref.teamId === this.config.teamId)
      .map((ref) => ref.userId);
  }

  private async toChannel(channel: string | null, message: DirectMessage): Promise<void> {
    if (channel === null) {
      this.logger.warn({ kind: message.kind }, 'no channel configured for this notice; not posted');
      return;
    }
    await this.post(channel, message);
  }

  private async post(channel: string, message: DirectMessage): Promise<void> {
    try {
      await this.client.chat.postMessage({
        channel,
        text: noticeText(message),
        blocks: noticeBlocks(message),
      });
    } catch (error) {
      // A user who left or blocked the app must not fail the flow; email and SMS still go out.
      this.logger.warn({ kind: message.kind, err: slackError(error) }, 'slack notice could not be delivered');
    }
  }
}
