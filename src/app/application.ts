import type { AppConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { seedDemoAccounts } from '../services/demo-accounts.js';
import type { ReminderSources } from '../services/notifications/reminders.js';
import { buildNotifications, type Notifications } from '../services/notifications/setup.js';
import { buildServices, type Services } from './services.js';
import { buildStores, type Stores } from './stores.js';

export interface Application {
  stores: Stores;
  services: Services;
  notifications: Notifications;
  stop(): Promise<void>;
}

/** Where overdue-review reminders go; the Slack review channel once Slack is wired, else the audit log. */
export type ReviewerReminder = ReminderSources['remindReviewers'];

/**
 * Builds every part from the config: the one place that knows which adapter serves
 * which port. main.ts calls it with the real clock; tests call it with a manual one.
 */
export async function createApplication(
  config: AppConfig,
  clock: Clock,
  logger: Logger,
  options: { remindReviewers?: ReviewerReminder } = {},
): Promise<Application> {
  const stores = await buildStores(config, clock);
  const services = buildServices(config, stores, clock);
  const notifications = buildNotifications(config, {
    clock,
    logger,
    audit: stores.audit,
    sources: reminderSources(stores, logger, options.remindReviewers),
  });
  await notifications.start();
  logger.info({ store: stores.kind }, 'stores and delivery workers ready');

  if (stores.kind === 'memory') {
    // The in-process store starts empty every time; demo accounts make it usable at once.
    const seeded = await seedDemoAccounts(
      stores.directory,
      (password) => services.credentials.hash(password),
      clock,
      services.documents,
    );
    logger.info({ accounts: seeded.length }, 'demo accounts created in the in-process store');
  }

  return {
    stores,
    services,
    notifications,
    stop: async () => {
      await notifications.close();
      await stores.close();
    },
  };
}

function reminderSources(
  stores: Stores,
  logger: Logger,
  remind: ReviewerReminder | undefined,
): ReminderSources {
  return {
    reviewPending: async (submissionId) =>
      (await stores.directory.getSubmission(submissionId))?.status === 'pending',
    remindReviewers:
      remind ??
      (async ({ submissionId, accountId }) => {
        logger.warn({ submissionId }, 'identity review is overdue and no review channel is configured');
        await stores.audit.record({
          actor: 'system',
          accountId,
          action: 'review.overdue',
          outcome: 'info',
          detail: { submission: submissionId },
        });
      }),
    passwordState: async (accountId) => {
      const account = await stores.directory.getById(accountId);
      if (!account?.loginEmail || account.passwordChangedAt === null) return null;
      return { changedAt: account.passwordChangedAt, email: account.loginEmail, name: account.accountName };
    },
  };
}
