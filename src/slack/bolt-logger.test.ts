import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { boltLogger } from './bolt-logger.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger('debug', sink) };
}

describe('Bolt logger', () => {
  it('drops debug lines (where Bolt logs request bodies) outside development', () => {
    const { lines, logger } = capture();
    const bolt = boltLogger(logger, false);
    bolt.setLevel(LogLevel.DEBUG);
    bolt.debug('body: {"code":"123456"}');
    bolt.info('started');
    expect(bolt.getLevel()).toBe(LogLevel.INFO);
    expect(lines.join('')).not.toContain('123456');
    expect(lines.join('')).toContain('started');
  });

  it('passes debug through when allowed and asked for', () => {
    const { lines, logger } = capture();
    const bolt = boltLogger(logger, true);
    bolt.setLevel(LogLevel.DEBUG);
    bolt.debug('detail');
    expect(lines.join('')).toContain('detail');
  });
});
