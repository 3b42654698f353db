/**
 * `npm run accounts -- import`: creates or updates embedded accounts from a file, keyed by
 * login email. Every row is checked with the forms' own schemas before anything is written,
 * so a file with one bad row imports nothing. A file never carries passwords: a new account
 * has none and is sent a reset link through the normal reset path.
 */
import { z } from 'zod';
import { loginEmailKey } from '../../domain/account.js';
import { messages } from '../../messages/catalog.js';
import { fieldErrorText } from '../../messages/validation.js';
import { LoginEmailTakenError, type AccountDirectory } from '../../ports/account-directory.js';
import {
  accountName,
  emailAddress,
  industry,
  mobileNumber,
  phoneNumber,
  validateForm,
  FORM_ERROR_KEY,
} from '../validation.js';
import type { FileRow } from './parse.js';

const m = messages.accountsFile;

/**
 * A blank cell (or a JSON null) means "none" and clears the field on an existing account; a
 * column the file leaves out leaves the field as it is.
 */
function optional<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === '' ? null : value), schema.nullable().optional());
}

const accountRow = z.object({
  loginEmail: emailAddress,
  accountName,
  industry: optional(industry),
  contactNumber: optional(phoneNumber),
  contactEmail: optional(emailAddress),
  securityMobile: optional(mobileNumber),
  verificationEmail: optional(emailAddress),
});

export type AccountRow = z.output<typeof accountRow>;

export const ACCOUNT_COLUMNS = Object.keys(accountRow.shape) as readonly (keyof AccountRow)[];

const PASSWORD_COLUMN = /pass(word)?|hash|secret/i;

export interface CheckedRow {
  row: number;
  account: AccountRow;
}

export type CheckResult = { ok: true; rows: CheckedRow[] } | { ok: false; problems: string[] };

/** Every problem in the file at once, one line per rejected row and field. */
export function checkRows(rows: readonly FileRow[]): CheckResult {
  if (rows.length === 0) return { ok: false, problems: [m.empty] };
  const problems = columnProblems(rows);
  const checked: CheckedRow[] = [];
  const firstRowOf = new Map<string, number>();
  let rejected = 0;
  for (const { row, values } of rows) {
    const result = validateForm(accountRow, values);
    if (!result.ok) {
      rejected++;
      for (const [field, problem] of Object.entries(result.errors)) {
        problems.push(m.rowError(row, field === FORM_ERROR_KEY ? 'row' : field, fieldErrorText(problem)));
      }
      continue;
    }
    const key = loginEmailKey(result.value.loginEmail);
    const first = firstRowOf.get(key);
    if (first !== undefined) {
      rejected++;
      problems.push(m.rowError(row, 'loginEmail', m.duplicateEmail(first)));
      continue;
    }
    firstRowOf.set(key, row);
    checked.push({ row, account: result.value });
  }
  if (problems.length > 0) {
    if (rejected > 0) problems.push(m.rejected(rejected));
    return { ok: false, problems };
  }
  return { ok: true, rows: checked };
}

function columnProblems(rows: readonly FileRow[]): string[] {
  const columns = new Set(rows.flatMap(({ values }) => Object.keys(values)));
  const known: readonly string[] = ACCOUNT_COLUMNS;
  return [...columns]
    .filter((column) => !known.includes(column))
    .map((column) =>
      PASSWORD_COLUMN.test(column) ? m.passwordColumn(column) : m.unknownColumn(column, known),
    );
}

export interface ImportOptions {
  dryRun: boolean;
  /** Sends a new account its reset link (the normal reset-link path). */
  sendResetLink(loginEmail: string): Promise<void>;
}

export type ImportResult =
  | { outcome: 'imported' | 'planned'; created: number; updated: number }
  | { outcome: 'stopped'; row: number; written: number; reason: string };

/**
 * Writes checked rows in file order. Writes are per account: a store failure part-way stops
 * the import and says which rows were written; since an existing login email is updated,
 * running the same file again finishes the job without duplicates.
 */
export async function importRows(
  directory: AccountDirectory,
  rows: readonly CheckedRow[],
  options: ImportOptions,
): Promise<ImportResult> {
  let created = 0;
  let updated = 0;
  for (const [index, { row, account }] of rows.entries()) {
    try {
      const existing = await directory.getByLoginEmail(account.loginEmail);
      const { loginEmail, ...fields } = account;
      const profile = Object.fromEntries(
        Object.entries(fields).filter(([, value]) => value !== undefined),
      ) as Omit<AccountRow, 'loginEmail'>;
      if (existing) {
        if (!options.dryRun) await directory.update(existing.accountId, profile);
        updated++;
      } else {
        if (!options.dryRun) {
          await directory.create({ ...profile, loginEmail, passwordHash: null });
          await options.sendResetLink(loginEmail);
        }
        created++;
      }
    } catch (error) {
      const reason =
        error instanceof LoginEmailTakenError
          ? m.emailTaken
          : error instanceof Error
            ? error.message
            : 'unknown error';
      return { outcome: 'stopped', row, written: index, reason };
    }
  }
  return { outcome: options.dryRun ? 'planned' : 'imported', created, updated };
}

export function importSummary(result: ImportResult): string {
  switch (result.outcome) {
    case 'planned':
      return m.planned(result.created, result.updated);
    case 'imported':
      return m.done(result.created, result.updated);
    case 'stopped':
      return m.stopped(result.row, result.written, result.reason);
  }
}
