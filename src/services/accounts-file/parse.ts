/**
 * Reads an accounts file into rows of column → value. CSV goes through csv-parse (quoting,
 * embedded commas and line breaks, a byte-order mark); JSON must be an array of objects.
 */
import { parse } from 'csv-parse/sync';
import { messages } from '../../messages/catalog.js';

const m = messages.accountsFile;

export interface FileRow {
  /** The row's number as a person finds it in the file: CSV line (header = 1) or JSON index + 1. */
  row: number;
  values: Record<string, unknown>;
}

export type ParsedFile = { ok: true; rows: FileRow[] } | { ok: false; problems: string[] };

export function parseAccountsFile(fileName: string, text: string): ParsedFile {
  return fileName.toLowerCase().endsWith('.json') ? parseJson(text) : parseCsv(text);
}

function parseCsv(text: string): ParsedFile {
  try {
    const records: Record<string, string>[] = parse(text, {
      bom: true,
      columns: (header: string[]) => header.map((column) => column.trim()),
      skip_empty_lines: true,
    });
    return { ok: true, rows: records.map((values, index) => ({ row: index + 2, values })) };
  } catch (error) {
    return { ok: false, problems: [m.notCsv(error instanceof Error ? error.message : 'unknown problem')] };
  }
}

function parseJson(text: string): ParsedFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, problems: [m.notJson] };
  }
  if (!Array.isArray(data)) return { ok: false, problems: [m.notArray] };
  const rows: FileRow[] = [];
  const problems: string[] = [];
  data.forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(m.notObject(index + 1));
    } else {
      rows.push({ row: index + 1, values: entry as Record<string, unknown> });
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
}
