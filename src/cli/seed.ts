/**
 * `npm run seed`: puts the demo accounts into the Redis named by REDIS_URL. Safe to run
 * again: existing demo accounts are kept and reported as such. Needs the app's three keys
 * (or `-- --write-keys <file>` to generate them into a new file).
 */
import bcrypt from 'bcrypt';
import { buildEmbeddedStores, type Stores } from '../app/stores.js';
import { loadConfig } from '../config/config.js';
import { systemClock } from '../core/clock.js';
import { seedDemoAccounts, type SeededAccount } from '../services/demo-accounts.js';
import { DocumentCipher } from '../services/documents.js';
import { maskEmail, maskPhone } from '../services/masking.js';
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
    console.error(
      'REDIS_URL is not set. Without it the app keeps accounts in an in-process store that lives ' +
        'only inside one running process, so seeding it from a separate command is pointless. ' +
        'Set REDIS_URL to the Redis the app uses and run this again.',
    );
    return 1;
  }
  for (const notice of loaded.notices) console.error(notice);
  if (keys.notice) console.error(keys.notice);

  let stores: Stores | null = null;
  try {
    stores = await buildEmbeddedStores(config, systemClock);
    const seeded = await seedDemoAccounts(
      stores.directory,
      (password) => bcrypt.hash(password, config.passwords.bcryptCost),
      systemClock,
      new DocumentCipher(config.keys.documentKey),
    );
    for (const entry of seeded) console.log(summary(entry));
    console.log('Every demo account has the password in DEMO_PASSWORD (src/services/demo-accounts.ts).');
    return 0;
  } catch (error) {
    console.error(`Seeding failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await stores?.close();
  }
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
