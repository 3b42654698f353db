/**
 * `npm run accounts -- import`: creates or updates embedded accounts from a file, keyed by
 * login email. Every row is checked with the forms' own schemas before anything is written,
 * so a file with one bad row imports nothing. A file never carries passwords: a new account
 * has none and is sent a reset link through the normal reset path.
 */
import { z } from 'zod';
import { TemporarilyUnavailableError } from '../../core/errors.js';
import { CONTACT_ADDRESS_PARTS, loginEmailKey, type ContactAddress } from '../../domain/account.js';
import { messages } from '../../messages/catalog.js';
import type { FieldErrors } from '../../../machines/shared/messages.js';
import { fieldErrorText } from '../../messages/validation.js';
import { LoginEmailTakenError, type AccountDirectory } from '../../ports/account-directory.js';
import {
  accountName,
  contactAddress,
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

/** The contact address's parts, one column each, named as on the basic-information form. */
export const ADDRESS_COLUMNS = CONTACT_ADDRESS_PARTS;

type AccountRow = z.output<typeof accountRow> & {
  /** Absent: the file has no address columns, so an existing address stays; null clears it. */
  contactAddress?: ContactAddress | null;
};

export type AccountColumn = Exclude<keyof AccountRow, 'contactAddress'> | keyof ContactAddress;

export const ACCOUNT_COLUMNS: readonly AccountColumn[] = [
  ...(Object.keys(accountRow.shape) as (keyof z.output<typeof accountRow>)[]),
  ...ADDRESS_COLUMNS,
];

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
    const result = validateForm(accountRow, fieldsOf(values));
    const address = addressOf(values);
    if (!result.ok || !address.ok) {
      rejected++;
      const errors = { ...(result.ok ? {} : result.errors), ...(address.ok ? {} : address.errors) };
      for (const [field, problem] of Object.entries(errors)) {
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
    checked.push({
      row,
      account:
        address.value === undefined ? result.value : { ...result.value, contactAddress: address.value },
    });
  }
  if (problems.length > 0) {
    if (rejected > 0) problems.push(m.rejected(rejected));
    return { ok: false, problems };
  }
  return { ok: true, rows: checked };
}

function fieldsOf(values: Record<string, unknown>): Record<string, unknown> {
  const address: readonly string[] = ADDRESS_COLUMNS;
  return Object.fromEntries(Object.entries(values).filter(([column]) => !address.includes(column)));
}

/**
 * The address columns with the form's own rules: all seven or none. Cells all blank clear the
 * address; a file without any of the columns leaves it alone.
 */
function addressOf(
  values: Record<string, unknown>,
): { ok: true; value: ContactAddress | null | undefined } | { ok: false; errors: FieldErrors } {
  if (!ADDRESS_COLUMNS.some((column) => column in values)) return { ok: true, value: undefined };
  const cells = Object.fromEntries(ADDRESS_COLUMNS.map((column) => [column, values[column] ?? '']));
  if (Object.values(cells).every((cell) => cell === '' || cell === null)) return { ok: true, value: null };
  const result = validateForm(contactAddress, cells);
  return result.ok ? { ok: true, value: result.value } : { ok: false, errors: result.errors };
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
  | {
      outcome: 'stopped';
      row: number;
      /** The file rows written in full before the stop, in file order. */
      written: number[];
      reason: string;
      /** The stopping row's account was created, but its reset link could not be sent. */
      createdWithoutLink: boolean;
    };

/**
 * Writes checked rows in file order. Each account is written in one store operation, so a
 * row is written whole or not at all: a store failure part-way stops the import and names
 * the rows written; since an existing login email is updated, running the same file again
 * finishes the job without duplicates.
 */
export async function importRows(
  directory: AccountDirectory,
  rows: readonly CheckedRow[],
  options: ImportOptions,
): Promise<ImportResult> {
  let created = 0;
  let updated = 0;
  const written: number[] = [];
  for (const { row, account } of rows) {
    let createdHere = false;
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
          createdHere = true;
          await options.sendResetLink(loginEmail);
        }
        created++;
      }
      written.push(row);
    } catch (error) {
      return { outcome: 'stopped', row, written, reason: stopReason(error), createdWithoutLink: createdHere };
    }
  }
  return { outcome: options.dryRun ? 'planned' : 'imported', created, updated };
}

function stopReason(error: unknown): string {
  if (error instanceof LoginEmailTakenError) return m.emailTaken;
  if (error instanceof TemporarilyUnavailableError) return m.storeUnavailable;
  return error instanceof Error ? error.message : 'unknown error';
}

export function importSummary(result: ImportResult): string {
  switch (result.outcome) {
    case 'planned':
      return m.planned(result.created, result.updated);
    case 'imported':
      return m.done(result.created, result.updated);
    case 'stopped':
      return [
        m.stopped(result.row, result.reason, rowRanges(result.written)),
        ...(result.createdWithoutLink ? [m.createdWithoutLink(result.row)] : []),
      ].join(' ');
  }
}

/** "2–5, 7" for the rows 2, 3, 4, 5 and 7. */
function rowRanges(rows: readonly number[]): string {
  const ranges: string[] = [];
  let start: number | undefined;
  rows.forEach((row, index) => {
    start ??= row;
    const next = rows[index + 1];
    if (next === row + 1) return;
    ranges.push(start === row ? String(row) : `${start}–${row}`);
    start = undefined;
  });
  return ranges.join(', ');
}
