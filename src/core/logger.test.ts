import { hostname } from 'node:os';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture(): { sink: Writable; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { sink, lines };
}

describe('logger', () => {
  it('writes JSON with pid and hostname', () => {
    const { sink, lines } = capture();
    createLogger('info', sink).info({ route: '/forgot' }, 'request');
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ pid: process.pid, hostname: hostname(), route: '/forgot', msg: 'request' });
  });

  it("keeps an error's code and still redacts a code logged on its own", () => {
    const { sink, lines } = capture();
    const logger = createLogger('info', sink);
    logger.error({ err: Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' }) }, 'redis down');
    logger.info({ code: '123456', password: 'Secret.pass1' }, 'oops');
    const [failure, oops] = lines.map((text) => JSON.parse(text) as Record<string, Record<string, unknown>>);
    expect(failure?.err?.code).toBe('ECONNREFUSED');
    expect(oops).toMatchObject({ code: '[redacted]', password: '[redacted]' });
  });

  it('prints readable lines, not JSON, when asked for pretty output', () => {
    const { sink, lines } = capture();
    createLogger('info', sink, { pretty: true }).info({ port: 3000 }, 'web server listening');
    // eslint-disable-next-line no-control-regex -- colours are ANSI escapes
    const text = lines.join('').replace(/\u001b\[\d+m/g, '');
    expect(text).toContain('web server listening');
    expect(text).toContain('port: 3000');
    expect(() => JSON.parse(text) as unknown).toThrow();
  });
});
