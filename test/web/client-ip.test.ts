import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientIp } from '../../src/web/client-ip.js';

function request(socket: string, forwarded?: string | string[]): IncomingMessage {
  return {
    socket: { remoteAddress: socket },
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  } as unknown as IncomingMessage;
}

describe('client address', () => {
  it('is the socket address when no proxy is trusted, whatever the header says', () => {
    expect(clientIp(request('10.0.0.5', '1.2.3.4'), 0)).toBe('10.0.0.5');
  });

  it('takes the entry the trusted proxies appended, not what the client wrote', () => {
    expect(clientIp(request('10.0.0.1', 'spoofed, 203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientIp(request('10.0.0.1', ['spoofed, 203.0.113.7', '10.0.0.9']), 2)).toBe('203.0.113.7');
  });

  it('stops at the leftmost entry when there are fewer hops than trusted', () => {
    expect(clientIp(request('10.0.0.1', '203.0.113.7'), 3)).toBe('203.0.113.7');
    expect(clientIp(request('10.0.0.1'), 1)).toBe('10.0.0.1');
  });
});
