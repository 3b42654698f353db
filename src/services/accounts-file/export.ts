/**
 * `npm run accounts -- export [--json]`: the embedded accounts in the import's own columns,
 * so an exported file imports back unchanged. Only those columns leave: no password hashes,
 * document numbers, Slack links or verification state.
 */
import { stringify } from 'csv-stringify/sync';
import type { Account, ContactAddress } from '../../domain/account.js';
import { ACCOUNT_COLUMNS, ADDRESS_COLUMNS, type AccountColumn } from './import.js';

export type ExportFormat = 'csv' | 'json';

function exportRow(account: Account): Record<AccountColumn, string | null> {
  const address = account.contactAddress;
  return {
    loginEmail: account.loginEmail,
    accountName: account.accountName,
    industry: account.industry,
    contactNumber: account.contactNumber,
    contactEmail: account.contactEmail,
    securityMobile: account.securityMobile,
    verificationEmail: account.verificationEmail,
    ...(Object.fromEntries(ADDRESS_COLUMNS.map((part) => [part, address?.[part] ?? null])) as Record<
      keyof ContactAddress,
      string | null
    >),
  };
}

/** Accounts without a login email cannot be imported back (it is the key), so they are left out. */
export function exportAccounts(accounts: readonly Account[], format: ExportFormat): string {
  const rows = accounts.filter((account) => account.loginEmail !== null).map(exportRow);
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  return stringify(rows, { header: true, columns: [...ACCOUNT_COLUMNS] });
}
