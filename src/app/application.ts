import type { AppConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { seedDemoAccounts } from '../services/demo-accounts.js';
import { buildServices, type Services } from './services.js';
import { buildStores, type Stores } from './stores.js';

export interface Application {
  stores: Stores;
  services: Services;
  stop(): Promise<void>;
}

/**
 * Builds every part from the config: the one place that knows which adapter serves
 * which port. main.ts calls it with the real clock; tests call it with a manual one.
 */
export async function createApplication(
  config: AppConfig,
  clock: Clock,
  logger: Logger,
): Promise<Application> {
  const stores = await buildStores(config, clock);
  const services = buildServices(config, stores, clock);
  logger.info({ store: stores.kind }, 'stores ready');

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
    stop: async () => {
      await stores.close();
    },
  };
}
