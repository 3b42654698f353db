import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from. X-Forwarded-For is believed only for as many hops as
 * there are trusted proxies in front of us: each proxy appends the address it saw, so
 * with N trusted proxies the Nth entry from the right is the one the first proxy saw.
 * Anything further left was written by the client and could be anything.
 */
export function clientIp(request: IncomingMessage, trustProxyHops: number): string {
  const socket = request.socket.remoteAddress ?? 'unknown';
  if (trustProxyHops <= 0) return socket;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const chain = [...forwarded, socket];
  return chain[Math.max(0, chain.length - 1 - trustProxyHops)] ?? socket;
}
