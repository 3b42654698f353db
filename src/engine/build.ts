import type { Services } from '../app/services.js';
import type { Stores } from '../app/stores.js';
import type { AppConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { DirectMessenger } from '../ports/direct-messenger.js';
import type { ReviewChannel } from '../ports/review-channel.js';
import type { Notifications } from '../services/notifications/setup.js';
import type { EffectDependencies } from './effects/index.js';
import { AttachableDirectMessenger, AttachableReviewChannel } from './attachable.js';
import { XStateFlowEngine, type EngineOptions } from './engine.js';
import { LinkHandOff } from './link-hand-off.js';
import { EnginePasswordPages } from './password-pages-service.js';
import { UnconfiguredDirectMessenger } from './unconfigured-messenger.js';

export interface EngineParts {
  engine: XStateFlowEngine;
  passwordPages: EnginePasswordPages;
  effects: EffectDependencies;
  /** Where the Slack app attaches its DirectMessenger once it is built. */
  directMessages: AttachableDirectMessenger;
  /** Where the Slack app attaches its review channel once it is built. */
  reviewChannel: AttachableReviewChannel;
}

export interface EngineWiring {
  /** The Slack adapter's messenger; without Slack, messages are logged as not sent. */
  messenger?: DirectMessenger;
  reviewChannel?: ReviewChannel;
  /** Reviewer check beyond the configured reviewer ids (e.g. a Slack user group). */
  isReviewer?: (userId: string) => boolean | Promise<boolean>;
  options?: EngineOptions;
}

/** The flow engine and the password pages over the built stores, services and notifications. */
export function buildEngine(
  config: AppConfig,
  clock: Clock,
  logger: Logger,
  parts: { stores: Stores; services: Services; notifications: Notifications },
  wiring: EngineWiring = {},
): EngineParts {
  const { stores, services, notifications } = parts;
  const directMessages = new AttachableDirectMessenger(new UnconfiguredDirectMessenger(logger));
  if (wiring.messenger) directMessages.attach(wiring.messenger);
  const reviewChannel = new AttachableReviewChannel(logger);
  if (wiring.reviewChannel) reviewChannel.attach(wiring.reviewChannel);
  const reviewers = new Set(config.slack?.reviewerUserIds ?? []);
  const effects: EffectDependencies = {
    config,
    clock,
    logger,
    directory: stores.directory,
    audit: stores.audit,
    scratch: stores.scratch,
    flows: stores.flowSessions,
    rateLimiter: stores.rateLimiter,
    codes: services.codes,
    linkTokens: services.linkTokens,
    passwords: services.passwords,
    credentials: services.credentials,
    documents: services.documents,
    documentImages: services.documentImages,
    delivery: notifications.delivery,
    reminders: notifications.reminders,
    messenger: directMessages,
    reviewChannel,
    isReviewer: async (userId) => reviewers.has(userId) || ((await wiring.isReviewer?.(userId)) ?? false),
    passwordLinks: new LinkHandOff(),
  };
  const engine = new XStateFlowEngine(effects, wiring.options);
  return {
    engine,
    passwordPages: new EnginePasswordPages(engine, effects),
    effects,
    directMessages,
    reviewChannel,
  };
}
