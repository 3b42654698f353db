import { connect, createServer, type Server, type Socket } from 'node:net';

/** A command as Redis receives it: its arguments, decoded as UTF-8 for matching. */
export type RedisCommand = string[];

interface Fault {
  matches(command: RedisCommand): boolean;
  reply: string;
  happened: () => void;
}

/**
 * A TCP hop between the app and a real redis-server that can make Redis refuse one chosen
 * command: the command is swapped for a script whose answer is the given error reply, so
 * Redis itself answers it, in order, on a connection that stays healthy. This is the fault
 * a restarted server answers with (`LOADING …`) aimed at one write, which stopping the
 * whole server cannot do.
 */
export class RedisFaultProxy {
  private fault: Fault | null = null;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<RedisFaultProxy> {
    const { hostname, port } = new URL(target);
    let proxy: RedisFaultProxy | null = null;
    const server = createServer((client) => proxy?.relay(client, hostname, Number(port)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('fault proxy has no port');
    proxy = new RedisFaultProxy(server, `redis://127.0.0.1:${address.port}`);
    return proxy;
  }

  /** The next command `matches` accepts is answered with `reply`; resolves once it was. */
  refuseNext(matches: (command: RedisCommand) => boolean, reply: string): Promise<void> {
    return new Promise((happened) => {
      this.fault = { matches, reply, happened };
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, host: string, port: number): void {
    const upstream = connect(port, host);
    this.sockets.add(client).add(upstream);
    upstream.pipe(client);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (let parsed = parseCommand(pending); parsed !== null; parsed = parseCommand(pending)) {
        pending = pending.subarray(parsed.length);
        upstream.write(this.rewrite(parsed.command, parsed.raw));
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }

  private rewrite(command: RedisCommand, raw: Buffer): Buffer {
    const fault = this.fault;
    if (fault === null || !fault.matches(command)) return raw;
    this.fault = null;
    fault.happened();
    return encode(['EVAL', `return redis.error_reply(${JSON.stringify(fault.reply)})`, '0']);
  }
}

function encode(args: string[]): Buffer {
  const parts = args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(`*${args.length}\r\n${parts.join('')}`);
}

/** One complete RESP array of bulk strings at the start of `buffer`, or null for more bytes. */
function parseCommand(buffer: Buffer): { command: RedisCommand; raw: Buffer; length: number } | null {
  const line = (from: number): { text: string; next: number } | null => {
    const end = buffer.indexOf('\r\n', from);
    return end < 0 ? null : { text: buffer.toString('latin1', from, end), next: end + 2 };
  };
  const header = line(0);
  if (header === null) return null;
  if (!header.text.startsWith('*')) throw new Error(`fault proxy expects RESP arrays, got ${header.text}`);
  const count = Number(header.text.slice(1));
  const command: RedisCommand = [];
  let at = header.next;
  for (let index = 0; index < count; index += 1) {
    const size = line(at);
    if (size === null) return null;
    const length = Number(size.text.slice(1));
    if (buffer.byteLength < size.next + length + 2) return null;
    command.push(buffer.toString('utf8', size.next, size.next + length));
    at = size.next + length + 2;
  }
  return { command, raw: buffer.subarray(0, at), length: at };
}
