import type { webApi } from '@slack/bolt';
import { LoggedDirectMessenger, LoggedReviewChannel } from '../adapters/log/no-slack.js';
import type { AppConfig, SlackConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { flowTimings } from '../messages/flows.js';
import type { DirectMessenger } from '../ports/direct-messenger.js';
import type { ReviewChannel } from '../ports/review-channel.js';
import { createSlackClient } from '../slack/app.js';
import { SlackDirectMessenger } from '../slack/direct-messenger.js';
import { SlackReviewChannel } from '../slack/review/review-channel.js';
import { SlackRoster } from '../slack/support/roster.js';
import type { SlackStores } from '../slack/dependencies.js';
import type { Stores } from './stores.js';

/**
 * The Slack side the engine posts to, built before the engine (which needs it) and handed
 * to the Bolt app afterwards (which needs the engine): one client, one reviewer roster, one
 * review channel for both.
 */
export interface SlackParts {
  client: webApi.WebClient;
  messenger: SlackDirectMessenger;
  /** Identity reviewers: the engine's `isReviewer` and the review buttons ask this one roster. */
  reviewers: SlackRoster;
  reviewChannel: SlackReviewChannel;
}

/** `retries`: 0 tries every Web API call once (tests); by default a call is retried within its budget. */
export function buildSlackParts(
  config: AppConfig,
  slack: SlackConfig,
  stores: Stores,
  clock: Clock,
  logger: Logger,
  retries?: 0,
): SlackParts {
  const client = createSlackClient(slack, logger, retries);
  return {
    client,
    messenger: new SlackDirectMessenger(
      client,
      slack,
      stores.directory,
      logger,
      flowTimings(config),
      stores.flowMessages,
    ),
    reviewers: new SlackRoster({
      name: 'reviewers',
      userIds: slack.reviewerUserIds,
      usergroupId: slack.reviewerUsergroupId,
      client,
      clock,
      logger,
    }),
    reviewChannel: new SlackReviewChannel({
      client,
      channelId: slack.reviewChannelId,
      cards: stores.reviewCards,
      directory: stores.directory,
      clock,
      logger,
    }),
  };
}

/** Where the engine's messages, review cards and reviewer checks go: Slack, or a log line without it. */
export function engineOutlets(
  slack: SlackParts | null,
  logger: Logger,
): {
  messenger: DirectMessenger;
  reviewChannel: ReviewChannel;
  isReviewer: (userId: string) => Promise<boolean>;
} {
  if (slack === null) {
    return {
      messenger: new LoggedDirectMessenger(logger),
      reviewChannel: new LoggedReviewChannel(logger),
      isReviewer: async () => false,
    };
  }
  return {
    messenger: slack.messenger,
    reviewChannel: slack.reviewChannel,
    isReviewer: (userId) => slack.reviewers.includes(userId),
  };
}

/** The ports the Bolt app's listeners use, and nothing that holds a connection. */
export function slackStores(stores: Stores): SlackStores {
  const { directory, directoryPasswords, audit, dedupe, rateLimiter, flowMessages } = stores;
  return { directory, directoryPasswords, audit, dedupe, rateLimiter, flowMessages };
}
