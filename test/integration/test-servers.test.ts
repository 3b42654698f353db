import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startRedisServer } from '../support/redis-server.js';

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// A server the suite starts and forgets outlives the run on the CI machine (one per run did).
describe('a test Redis server', () => {
  it('is gone after dispose, although start() was called while it ran', async () => {
    const server = await startRedisServer();
    await server.start();
    expect(await accepts(server.port)).toBe(true);
    await server.dispose();
    expect(await accepts(server.port)).toBe(false);
  });
});
