import type { Services } from './services.js';
import type { Stores } from './stores.js';
import type { AppConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { DirectMessenger } from '../ports/direct-messenger.js';
import type { ReviewChannel } from '../ports/review-channel.js';
import type { Notifications } from './notifications.js';
import type { EffectDependencies } from '../engine/effects/index.js';
import { XStateFlowEngine, type EngineOptions } from '../engine/engine.js';
import { LinkHandOff } from '../engine/link-hand-off.js';
import { changePasswordPages } from '../web/flows/change-password.js';
import { resetPasswordPages } from '../web/flows/reset-password.js';
import type { PasswordPages } from '../web/password-pages.js';

export interface EngineParts {
  engine: XStateFlowEngine;
  passwordPages: PasswordPages;
  effects: EffectDependencies;
}

export interface EngineWiring {
  /** The Slack adapter's messenger; without Slack, one that logs that nothing was sent. */
  messenger: DirectMessenger;
  reviewChannel: ReviewChannel;
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
  wiring: EngineWiring,
): EngineParts {
  const { stores, services, notifications } = parts;
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
    messenger: wiring.messenger,
    reviewChannel: wiring.reviewChannel,
    isReviewer: async (userId) => reviewers.has(userId) || ((await wiring.isReviewer?.(userId)) ?? false),
    passwordLinks: new LinkHandOff(),
  };
  const engine = new XStateFlowEngine(effects, wiring.options);
  return {
    engine,
    passwordPages: { ...resetPasswordPages(engine, effects), ...changePasswordPages(engine, effects) },
    effects,
  };
}
