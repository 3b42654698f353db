import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/**
 * A fresh directory inside the run's scratch directory, which the global setup removes when
 * the run ends: tests make thousands, and the system's temp directory kept them all.
 */
export function scratchDirectory(prefix: string): string {
  return mkdtempSync(join(inject('scratchDir'), prefix));
}
