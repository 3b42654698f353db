import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { accessLogger } from './request-log.js';

describe('the access logger', () => {
  it('writes the request line as given and leaves the redaction of every other line in place', () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    });
    const logger = createLogger('info', sink);
    const access = accessLogger(logger);
    access.info({ requestId: 'r-1', method: 'POST', route: '/slack/events', status: 200, ms: 3 }, 'request');
    logger.info({ password: 'Secret.pass1', token: 'xoxb-1' }, 'oops');
    access.child({ flow: 'x' }).info('still a request line');

    expect(lines[0]).toMatchObject({
      requestId: 'r-1',
      method: 'POST',
      route: '/slack/events',
      status: 200,
      ms: 3,
    });
    expect(lines[1]).toMatchObject({ password: '[redacted]', token: '[redacted]' });
    expect(JSON.stringify(lines)).not.toContain('Secret.pass1');
    expect(lines[2]).toMatchObject({ flow: 'x', msg: 'still a request line' });
  });
});
