import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

/**
 * Paths that must never reach a log line even if someone logs a whole object. Secrets
 * should not be passed to the logger at all; this is the second line of defence. A nested
 * `code` is left alone: `err.code` (ECONNREFUSED, slack_webapi_…) is what an operator needs.
 */
const REDACTED_PATHS = [
  'code',
  'token',
  'password',
  'newPassword',
  'oldPassword',
  'documentNumber',
  '*.token',
  '*.password',
  '*.documentNumber',
  'body',
  'text',
  'html',
  'req.body',
];

export interface LoggerOptions {
  /** Human-readable lines (development in a terminal); JSON otherwise. */
  pretty?: boolean;
}

/** JSON lines with pid and hostname, secrets redacted; pretty-printed when asked. */
export function createLogger(
  level: string,
  destination?: DestinationStream,
  options: LoggerOptions = {},
): Logger {
  const settings = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (options.pretty) {
    return pino(
      settings,
      PinoPretty({
        colorize: true,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname',
        ...(destination ? { destination } : {}),
      }),
    );
  }
  return destination ? pino(settings, destination) : pino(settings);
}
