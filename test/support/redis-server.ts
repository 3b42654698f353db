import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aclServerArgs, type TestAclUser } from './redis-acl.js';
import { tlsServerArgs, type TestCertificates } from './redis-tls.js';

/** A real redis-server on a free loopback port, with no persistence files left behind. */
export interface RedisServerHandle {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  /** Starts the server again on the same port (for outage tests). */
  start(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open and nothing answers, as in a hang. */
  pause(): void;
  /** Lets a paused server run again (SIGCONT). */
  resume(): void;
  /** Stops the server and removes its working folder. */
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      server.close(() => resolve(address.port));
    });
  });
}

function waitForPort(name: string, port: number, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`${name} did not listen on ${port}`));
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
}

/**
 * kill() returns before every thread of the process has stopped: on a loaded machine a request
 * sent right after could still be answered. Waits (at most 2 s) until Linux reports it stopped.
 */
function waitUntilStopped(pid: number): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let tries = 0; tries < 400; tries++) {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)?.[0];
    if (state === 'T' || state === 't') return;
    Atomics.wait(pause, 0, 0, 5);
  }
  throw new Error(`process ${pid} did not stop`);
}

/** A test server process that can be stopped and started again on the same port. */
export function restartableServer(
  name: string,
  command: string,
  args: string[],
  port: number,
): { start: () => Promise<void>; stop: () => Promise<void>; signal: (signal: NodeJS.Signals) => void } {
  let child: ChildProcess | undefined;
  const start = async () => {
    // A second spawn would lose the running one, which then outlives the run (its port still
    // answers, so the wait below would not notice).
    if (child && child.exitCode === null) return;
    child = spawn(command, args, { stdio: 'ignore' });
    child.once('error', (error) => {
      throw new Error(`cannot start ${name} (is it installed?): ${error.message}`);
    });
    await waitForPort(name, port, Date.now() + 10_000);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  const signal = (name: NodeJS.Signals) => {
    if (!child || child.exitCode !== null || child.pid === undefined)
      throw new Error(`${name}: ${command} is not running`);
    child.kill(name);
    if (name === 'SIGSTOP') waitUntilStopped(child.pid);
  };
  return { start, stop, signal };
}

/**
 * Plain TCP, or TLS only with these certificates (the URL is then rediss://). `durable`: an
 * append-only file synced on every write, so data written before a stop (a SIGKILL) is there
 * again after `start()`, as on a production Redis with AOF. `acl`: only that user gets in
 * without the tests' own password (the URL carries no user).
 */
export async function startRedisServer(
  options: { tls?: TestCertificates; durable?: boolean; acl?: TestAclUser } = {},
): Promise<RedisServerHandle> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'aa-redis-'));
  const listen = options.tls ? tlsServerArgs(options.tls, port) : ['--port', String(port)];
  const persistence = options.durable
    ? ['--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  const { start, stop, signal } = restartableServer(
    'redis-server',
    'redis-server',
    [
      ...listen,
      ...(options.acl ? aclServerArgs(options.acl) : []),
      ...['--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', dir],
    ],
    port,
  );

  await start();
  return {
    url: `${options.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    port,
    start,
    stop,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
