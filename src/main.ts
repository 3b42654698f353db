import { createApplication } from './app/application.js';
import { loadConfig } from './config/config.js';
import { systemClock } from './core/clock.js';
import { createLogger } from './core/logger.js';
import { startup } from './messages/startup.js';
import { workbenchBanner } from './workbench/banner.js';

/** Process managers kill ~10 s after SIGTERM; whatever is still closing by then is cut here. */
const SHUTDOWN_DEADLINE_MS = 9_000;

/** The composition root's entry: the only code that reads the environment. */
async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(
      `Account Assistant cannot start; fix these settings:\n${loaded.problems.map((line) => `  ${line}\n`).join('')}`,
    );
    process.exit(1);
  }
  const { config, notices } = loaded;
  const logger = createLogger(config.logLevel, undefined, {
    pretty: config.env === 'development' && process.stdout.isTTY,
  });
  for (const notice of notices) logger.warn(notice);

  const app = await createApplication(config, systemClock, logger);
  if (config.slack === null) logger.warn(startup.withoutSlack(app.workbench !== null));
  logger.info('Account Assistant is running');
  if (app.workbench) process.stdout.write(workbenchBanner(config.web.publicBaseUrl, app.stores.kind));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => {
      logger.error('stopping took too long; exiting without finishing');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    try {
      await app.stop();
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.name : 'unknown' }, 'stopping failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Account Assistant stopped: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
