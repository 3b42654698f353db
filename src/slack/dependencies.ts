import type { Services } from '../app/services.js';
import type { Stores } from '../app/stores.js';
import type { AppConfig, SlackConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { FlowEngine } from '../engine/flow-engine.js';
import type { Notifications } from '../app/notifications.js';

/**
 * Everything a Slack listener may use. Listeners translate Slack payloads into engine calls
 * and view-models into Block Kit; the rules live behind these objects, never in a listener.
 */
export interface SlackDependencies {
  engine: FlowEngine;
  stores: Stores;
  services: Services;
  notifications: Notifications;
  config: AppConfig;
  /** `config.slack`, narrowed: the Slack app only exists when it is configured. */
  slack: SlackConfig;
  clock: Clock;
  logger: Logger;
}
