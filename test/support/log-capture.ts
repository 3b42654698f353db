import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/core/logger.js';

/** A logger whose lines (one JSON object each) a test reads back. */
export function capturedLogger(level = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}
