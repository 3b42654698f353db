import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../core/logger.js';

/**
 * Bolt's logger interface over pino. Bolt logs request bodies at debug (DESIGN §3), and a
 * modal's values can hold what a person typed, so debug never reaches the log outside tests.
 */
export function boltLogger(logger: Logger, allowDebug: boolean): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.INFO;
  const flatten = (parts: unknown[]) =>
    parts.map((part) => (part instanceof Error ? `${part.name}: ${part.message}` : String(part))).join(' ');
  return {
    debug: (...parts) => {
      if (allowDebug && level === LogLevel.DEBUG) child.debug(flatten(parts));
    },
    info: (...parts) => child.info(flatten(parts)),
    warn: (...parts) => child.warn(flatten(parts)),
    error: (...parts) => child.error(flatten(parts)),
    setLevel: (next) => {
      level = next === LogLevel.DEBUG && !allowDebug ? LogLevel.INFO : next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
