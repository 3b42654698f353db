/**
 * A store could not be reached. Security paths fail closed on it: callers tell the
 * person to try again shortly and never skip the check that needed the store.
 */
export class TemporarilyUnavailableError extends Error {
  readonly code = 'TEMPORARILY_UNAVAILABLE';
  constructor(operation: string, options?: { cause?: unknown }) {
    super(
      `The account store is temporarily unavailable (${operation}). Please try again in a minute.`,
      options,
    );
    this.name = 'TemporarilyUnavailableError';
  }
}

/** Data in a store does not have the shape we wrote; the record is left untouched and reported. */
export class CorruptRecordError extends Error {
  readonly code = 'CORRUPT_RECORD';
  /** Which record, e.g. `account 1000001`: names it in alerts without showing its contents. */
  readonly what: string;
  constructor(what: string, detail: string) {
    super(`Stored ${what} is unreadable: ${detail}`);
    this.name = 'CorruptRecordError';
    this.what = what;
  }
}

/** The app cannot start as configured; the message names the variable or setting to fix. */
export class StartupError extends Error {
  readonly code = 'STARTUP';
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/**
 * An error as a log field: its kind and code, never its message, which may quote what was
 * typed or a store key holding it (a login email).
 */
export function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name}: ${code}` : error.name;
}
