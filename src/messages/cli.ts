/** What the command-line tools (`npm run seed`) tell the person at the terminal. */
export const cli = {
  seed: {
    keysMissing: (names: readonly string[], option: string) =>
      `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} not set. Seeded document numbers are encrypted ` +
      'under DOCUMENT_ENCRYPTION_KEY, so a key generated just for this run would make them unreadable ' +
      'to the app. Set the three keys the app runs with (generate each with `openssl rand -base64 32`), ' +
      `or run \`npm run seed -- ${option} <file>\` to generate the missing ones into a new file.`,
    keysFileExists: (file: string) =>
      `${file} already exists; it is never overwritten. Load it (set -a; . ${file}; set +a) and run the seed again, or name a new file.`,
    keysWritten: (names: readonly string[], file: string) =>
      `Generated ${names.join(', ')} into ${file} (readable only by you). Load it before \`npm start\` ` +
      `(set -a; . ${file}; set +a) so the app reads the seeded document numbers.`,
    optionNeedsFile: (option: string) => `${option} needs a file name, such as ${option} .env.keys.`,
    noRedis:
      'REDIS_URL is not set. Without it the app keeps accounts in an in-process store that lives ' +
      'only inside one running process, so seeding it from a separate command is pointless. ' +
      'Set REDIS_URL to the Redis the app uses and run this again.',
    notEmbedded:
      'DIRECTORY=ldap: the accounts live in the directory, so there are no demo accounts to seed. ' +
      'Unset DIRECTORY (or set it to embedded) to seed a Redis for the workbench.',
    failed: (reason: string) => `Seeding failed: ${reason}. Running it again completes what is missing.`,
    password: (password: string) => `Every demo account signs in with the password ${password}.`,
  },
} as const;
