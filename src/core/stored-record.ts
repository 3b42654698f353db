import type { z } from 'zod';
import { CorruptRecordError } from './errors.js';

/**
 * A JSON record read back from a store, checked against its schema. Anything else is
 * reported as corrupt, never used; the error names the record, never its contents.
 */
export function parseStoredRecord<T>(what: string, raw: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new CorruptRecordError(what, 'record is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new CorruptRecordError(what, 'record has the wrong shape');
  return parsed.data;
}
