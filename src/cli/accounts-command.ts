/**
 * The accounts command itself, apart from how its application is built, so tests run it
 * against the real application on either store.
 */
import { readFile } from 'node:fs/promises';
import { messages } from '../messages/catalog.js';
import type { AccountDirectory, AccountListing } from '../ports/account-directory.js';
import { exportAccounts } from '../services/accounts-file/export.js';
import { checkRows, importRows, importSummary } from '../services/accounts-file/import.js';
import { parseAccountsFile } from '../services/accounts-file/parse.js';

const m = messages.accountsFile;

export interface AccountsCommandDeps {
  directory: AccountDirectory;
  /** Absent when the accounts live in LDAP. */
  listing: AccountListing | undefined;
  sendResetLink(loginEmail: string, actor: string): Promise<void>;
  out(line: string): void;
  err(line: string): void;
}

/** Who the audit log names for what the import does. */
const IMPORT_ACTOR = 'accounts-import';

/** Returns the process exit code: 0 done, 1 refused or failed, 2 usage. */
export async function runAccountsCommand(
  args: readonly string[],
  deps: AccountsCommandDeps,
): Promise<number> {
  if (args[0] === 'export') return runExport(args.slice(1), deps);
  const [command, file, ...flags] = args;
  const unknownFlag = flags.some((flag) => flag !== '--dry-run');
  if (command !== 'import' || file === undefined || unknownFlag) {
    deps.err(m.usage);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    deps.err(m.unreadable(error instanceof Error && 'code' in error ? String(error.code) : 'unknown'));
    return 1;
  }
  const parsed = parseAccountsFile(file, text);
  if (!parsed.ok) {
    for (const problem of parsed.problems) deps.err(problem);
    return 1;
  }
  const checked = checkRows(parsed.rows);
  if (!checked.ok) {
    for (const problem of checked.problems) deps.err(problem);
    return 1;
  }
  const result = await importRows(deps.directory, checked.rows, {
    dryRun: flags.includes('--dry-run'),
    sendResetLink: (loginEmail) => deps.sendResetLink(loginEmail, IMPORT_ACTOR),
  });
  const summary = importSummary(result);
  if (result.outcome === 'stopped') {
    deps.err(summary);
    return 1;
  }
  deps.out(summary);
  return 0;
}

async function runExport(flags: readonly string[], deps: AccountsCommandDeps): Promise<number> {
  if (flags.some((flag) => flag !== '--json')) {
    deps.err(m.usage);
    return 2;
  }
  if (!deps.listing) {
    deps.err(m.notEmbedded);
    return 1;
  }
  const text = exportAccounts(await deps.listing.listAccounts(), flags.includes('--json') ? 'json' : 'csv');
  deps.out(text.replace(/\n$/, ''));
  return 0;
}
