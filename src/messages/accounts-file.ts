/**
 * `npm run accounts`: what the import command tells an operator. Every line names the row
 * (as numbered in the file: a CSV's header is line 1, so its first account is row 2) and the
 * column, and never repeats a value, since a terminal may be shared or logged.
 */
export const accountsFile = {
  usage:
    'Usage: npm run accounts -- import FILE.csv|FILE.json [--dry-run], or npm run accounts -- export [--json] > FILE. A file ending in .json holds an array of objects; any other file is read as CSV with a header line.',
  notEmbedded:
    'DIRECTORY is ldap: the accounts live in the company directory, so import and export them with its own tools. This command fills the embedded directory only.',
  unreadable: (reason: string) => `The file could not be read: ${reason}. Check the path and try again.`,
  notCsv: (reason: string) =>
    `The file is not valid CSV: ${reason}. Save it as comma-separated values with a header line and try again.`,
  notJson: 'The file is not valid JSON. It must hold an array of objects, one per account.',
  notArray: 'The JSON file must hold an array of objects, one per account.',
  notObject: (row: number) => `Row ${row}: each entry must be an object of column names and values.`,
  empty: 'The file holds no accounts. Nothing was imported.',
  unknownColumn: (column: string, known: readonly string[]) =>
    `Column "${column}" is not one the import knows. Use only: ${known.join(', ')}.`,
  passwordColumn: (column: string) =>
    `Column "${column}" must not be in the file: passwords are never imported. Remove the column; each new account gets a reset link by email instead.`,
  rowError: (row: number, field: string, problem: string) => `Row ${row}, ${field}: ${problem}`,
  duplicateEmail: (firstRow: number) =>
    `This login email is already on row ${firstRow}. Each account may appear only once.`,
  rejected: (rows: number) =>
    `${rows} ${rows === 1 ? 'row was' : 'rows were'} rejected, so nothing was imported. Fix the rows above and run the import again.`,
  planned: (creates: number, updates: number) =>
    `Dry run: ${creates} ${creates === 1 ? 'account' : 'accounts'} would be created and ${updates} updated. Nothing was written.`,
  done: (creates: number, updates: number) =>
    `Imported: ${creates} ${creates === 1 ? 'account' : 'accounts'} created (a reset link by email is queued for each; the app sends it) and ${updates} updated.`,
  stopped: (row: number, reason: string, writtenRows: string) =>
    `The import stopped at row ${row}: ${reason}. ${writtenRows === '' ? 'No row was written' : `Written in full: rows ${writtenRows}`}; row ${row} and the rows after it were not. Running the same file again is safe and finishes the rest.`,
  createdWithoutLink: (row: number) =>
    `Row ${row}'s account was created, but its reset link could not be sent: the person can ask for one with "Forgot password", or support can send a reset offer.`,
  storeUnavailable: 'the account store stopped answering',
  failed: (reason: string) =>
    `The command failed: ${reason}. Nothing after this point was written; check the store and run it again.`,
  emailTaken: 'another account took this login email while the import ran',
  payloadKeyMissing:
    'JOB_PAYLOAD_KEY is not set. The reset links of new accounts are queued for the app to send, sealed under JOB_PAYLOAD_KEY, so a key made just for this run would leave them unreadable. Set the key the app runs with (`npm run seed -- --write-keys <file>` writes one), or add --dry-run to check the file only.',
  noRedis:
    'REDIS_URL is not set. Without it the app keeps accounts in an in-process store that lives only inside one running process, so importing into it from a separate command is pointless. Set REDIS_URL to the Redis the app uses and run this again.',
} as const;
