/**
 * `npm run seed`: puts the demo accounts into the Redis named by REDIS_URL. Safe to run
 * again: existing demo accounts are kept and reported as such. Needs the app's three keys
 * (or `-- --write-keys <file>` to generate them into a new file). Built like the app itself,
 * by createApplication, so the identity submission awaiting review is filed through its flow
 * and a reviewer can decide it.
 */
import { createApplication, type Application } from '../app/application.js';
import { loadConfig } from '../config/config.js';
import { systemClock } from '../core/clock.js';
import { StartupError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { cli } from '../messages/cli.js';
import { DEMO_PASSWORD, seedDemoAccounts, type SeededAccount } from '../services/demo-accounts.js';
import { maskEmail, maskPhone } from '../services/masking.js';
import { fileDemoReviews } from '../workbench/pending-reviews.js';
import { seedKeys } from './seed-keys.js';

async function main(): Promise<number> {
  const keys = seedKeys(process.env, process.argv.slice(2));
  if (!keys.ok) {
    console.error(keys.problem);
    return 1;
  }
  const loaded = loadConfig(keys.env);
  if (!loaded.ok) {
    for (const problem of loaded.problems) console.error(problem);
    return 1;
  }
  const { config } = loaded;
  if (config.redis.topology === null) {
    console.error(cli.seed.noRedis);
    return 1;
  }
  if (config.directory.kind !== 'embedded') {
    console.error(cli.seed.notEmbedded);
    return 1;
  }
  for (const notice of loaded.notices) console.error(notice);
  if (keys.notice) console.error(keys.notice);

  let app: Application | null = null;
  try {
    // The demo people live in the workbench's Slack: nothing seeded here goes to a real one.
    app = await createApplication({ ...config, slack: null }, systemClock, createLogger('warn'), {
      listen: false,
      slack: false,
      workbench: false,
    });
    return await seed(app);
  } catch (error) {
    // A start-up problem (Redis unreachable) already names the variable and what to do.
    console.error(
      error instanceof StartupError
        ? error.message
        : cli.seed.failed(error instanceof Error ? error.message : String(error)),
    );
    return 1;
  } finally {
    await app?.stop();
  }
}

async function seed(app: Application): Promise<number> {
  const seeded = await seedDemoAccounts(
    app.stores.directory,
    (password) => app.services.credentials.hash(password),
    systemClock,
    app.services.documents,
    { pendingIdentities: false },
  );
  await fileDemoReviews(app.engine, app.stores.directory);
  const latest = await Promise.all(seeded.map((entry) => refreshed(app, entry)));
  for (const entry of latest) console.log(summary(entry));
  console.log(cli.seed.password(DEMO_PASSWORD));
  return 0;
}

/** The account as the flows left it (a filed submission changes its status). */
async function refreshed(app: Application, entry: SeededAccount): Promise<SeededAccount> {
  return {
    ...entry,
    account: (await app.stores.directory.getById(entry.account.accountId)) ?? entry.account,
  };
}

/** One line per account, masked like Slack shows it: the terminal may be shared or logged. */
function summary({ account, created, description }: SeededAccount): string {
  return [
    created ? 'created' : 'exists ',
    account.accountId,
    account.loginEmail === null ? '(no login email)' : maskEmail(account.loginEmail),
    `security mobile ${account.securityMobile === null ? 'none' : maskPhone(account.securityMobile)}`,
    `identity ${account.verification.status}`,
    `— ${description}`,
  ].join('  ');
}

process.exitCode = await main();
