/**
 * `npm run accounts -- import FILE.csv|FILE.json [--dry-run]` and `-- export [--json]`: the
 * embedded directory of the Redis named by REDIS_URL, from and to a file (see README). Built like the app itself, by
 * createApplication, so new accounts get their reset links through the normal path: queued here,
 * sent by the app's delivery workers.
 */
import { createApplication, type Application } from '../app/application.js';
import { loadConfig } from '../config/config.js';
import { systemClock } from '../core/clock.js';
import { StartupError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { messages } from '../messages/catalog.js';
import { runAccountsCommand } from './accounts-command.js';

async function main(): Promise<number> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    for (const problem of loaded.problems) console.error(problem);
    return 1;
  }
  const { config } = loaded;
  if (config.redis.topology === null) {
    console.error(messages.accountsFile.noRedis);
    return 1;
  }
  if (config.directory.kind !== 'embedded') {
    console.error(messages.accountsFile.notEmbedded);
    return 1;
  }
  const args = process.argv.slice(2);
  if (args[0] === 'import' && !args.includes('--dry-run') && !process.env.JOB_PAYLOAD_KEY) {
    console.error(messages.accountsFile.payloadKeyMissing);
    return 1;
  }
  for (const notice of loaded.notices) console.error(notice);
  let app: Application | null = null;
  try {
    // Inside the try: a Redis it cannot reach is one line naming the variable, not a stack.
    const built = await createApplication(config, systemClock, createLogger('warn'), {
      listen: false,
      slack: false,
      workbench: false,
      deliveryWorkers: false,
    });
    app = built;
    return await runAccountsCommand(args, {
      directory: built.stores.directory,
      listing: built.stores.accountListing,
      sendResetLink: (loginEmail, actor) => built.sendResetLink(loginEmail, actor),
      out: (line) => console.log(line),
      err: (line) => console.error(line),
    });
  } catch (error) {
    console.error(
      error instanceof StartupError
        ? error.message
        : messages.accountsFile.failed(error instanceof Error ? error.message : 'unknown error'),
    );
    return 1;
  } finally {
    await app?.stop();
  }
}

process.exitCode = await main();
