import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths that must never reach a log line even if someone logs a whole object. Secrets
 * should not be passed to the logger at all; this is the second line of defence.
 */
const REDACTED_PATHS = [
  'code',
  'token',
  'password',
  'newPassword',
  'oldPassword',
  'documentNumber',
  '*.code',
  '*.token',
  '*.password',
  '*.documentNumber',
  'body',
  'text',
  'html',
  'req.body',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: undefined };
  return destination ? pino(options, destination) : pino(options);
}
