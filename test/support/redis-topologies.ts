import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RedisEndpoint } from '../../src/config/redis.js';
import { freePort, restartableServer } from './redis-server.js';
import {
  ACL_CLI_ARGS,
  aclSentinelLines,
  aclServerArgs,
  SENTINEL_CLI_ARGS,
  TEST_SENTINEL_PASSWORD,
  type TestAclUser,
} from './redis-acl.js';
import { tlsCliArgs, tlsServerArgs, type TestCertificates } from './redis-tls.js';

const run = promisify(execFile);

/** One real server process on a loopback port, which a test may kill and start again. */
interface RedisProcess {
  readonly port: number;
  kill(): Promise<void>;
  start(): Promise<void>;
}

/**
 * Servers that speak TLS only, with these certificates, to clients and to each other; with
 * `acl`, data nodes that let the app in only as that user and sentinels with a password.
 */
export interface TopologyOptions {
  tls?: TestCertificates;
  acl?: TestAclUser;
}

/** A cluster with or without a replica for each master (the slot suites need none). */
export interface ClusterOptions extends TopologyOptions {
  replicas?: boolean;
}

/** A 3-master Redis Cluster on loopback, with one replica per master when asked. */
export interface RedisClusterHandle {
  readonly nodes: RedisEndpoint[];
  /** Each server, masters first, to kill and start again (outage and failover tests). */
  readonly servers: RedisProcess[];
  /** The port of the master that serves `slot` now, as the surviving nodes see it. */
  masterPort(slot: number): Promise<number>;
  /** Moves `slot` to the master on `toPort` step by step, as `redis-cli --cluster reshard` does. */
  slotMigration(slot: number, toPort: number): Promise<SlotMigration>;
  dispose(): Promise<void>;
}

/** One slot on its way from one master to another, each step taken when the test says. */
interface SlotMigration {
  /**
   * The source marks the slot MIGRATING and the target IMPORTING: a command whose keys all
   * left gets ASK, one whose keys are split between the two gets TRYAGAIN.
   */
  begin(): Promise<void>;
  /** Moves these keys of the slot to the target (MIGRATE). */
  move(keys: readonly string[]): Promise<void>;
  /** Moves what is left and gives the slot to the target on every master: clients get MOVED. */
  finish(): Promise<void>;
}

/** One primary, one replica and three sentinels watching them under `name`. */
export interface RedisSentinelHandle {
  readonly name: string;
  readonly sentinels: RedisEndpoint[];
  /** What the sentinels ask for (REDIS_SENTINEL_PASSWORD); null when they ask for none. */
  readonly sentinelPassword: string | null;
  readonly primary: RedisProcess;
  readonly replica: RedisProcess;
  /** The port the sentinels currently name as primary. */
  primaryPort(): Promise<number>;
  dispose(): Promise<void>;
}

const NO_PERSISTENCE = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];

/** How a data node listens (plain on `port`, or TLS only on it) and whom it lets in. */
function dataNodeArgs(port: number, options: TopologyOptions): string[] {
  return [...listenArgs(port, options), ...(options.acl ? aclServerArgs(options.acl) : [])];
}

function listenArgs(port: number, options: TopologyOptions): string[] {
  return options.tls ? tlsServerArgs(options.tls, port) : ['--port', String(port)];
}

export async function startRedisCluster(options: ClusterOptions = {}): Promise<RedisClusterHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'aa-cluster-'));
  const ports = await clusterPorts(options.replicas ? 6 : 3);
  const cli = redisCli(options);
  const nodes = await Promise.all(
    ports.map((port) =>
      startProcess('redis-server', port, [
        ...dataNodeArgs(port, options),
        ...(options.tls ? ['--tls-cluster', 'yes'] : []),
        ...NO_PERSISTENCE,
        '--dir',
        dir,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '2000',
      ]),
    ),
  );
  await run('redis-cli', [
    ...cliLogin(options),
    '--cluster',
    'create',
    ...ports.map((port) => `127.0.0.1:${port}`),
    '--cluster-replicas',
    options.replicas ? '1' : '0',
    '--cluster-yes',
  ]);
  await Promise.all(
    ports.map((port) => until(async () => (await cli(port, 'cluster', 'info')).includes('cluster_state:ok'))),
  );
  // redis-cli makes the first three masters; each replica is ready once it has synced.
  await Promise.all(
    ports
      .slice(3)
      .map((port) =>
        until(async () => (await cli(port, 'info', 'replication')).includes('master_link_status:up')),
      ),
  );
  const masterPort = async (slot: number) => {
    for (const node of nodes) {
      const reply = await cli(node.port, '--json', 'cluster', 'slots').catch(() => '');
      if (!reply) continue;
      const ranges = JSON.parse(reply) as [number, number, [string, number, string]][];
      const range = ranges.find(([first, last]) => first <= slot && slot <= last);
      if (range) return range[2][1];
    }
    throw new Error(`no live node knows slot ${slot}`);
  };
  const slotMigration = async (slot: number, toPort: number): Promise<SlotMigration> => {
    const fromPort = await masterPort(slot);
    const idOf = async (port: number) => (await cli(port, 'cluster', 'myid')).trim();
    const [fromId, toId] = await Promise.all([idOf(fromPort), idOf(toPort)]);
    const move = async (keys: readonly string[]) => {
      const reply = await cli(
        fromPort,
        'migrate',
        '127.0.0.1',
        String(toPort),
        '',
        '0',
        '5000',
        'KEYS',
        ...keys,
      );
      if (!/^(OK|NOKEY)/.test(reply.trim())) throw new Error(`MIGRATE refused: ${reply.trim()}`);
    };
    return {
      begin: async () => {
        await cli(toPort, 'cluster', 'setslot', String(slot), 'importing', fromId);
        await cli(fromPort, 'cluster', 'setslot', String(slot), 'migrating', toId);
      },
      move,
      finish: async () => {
        for (;;) {
          const left = (await cli(fromPort, 'cluster', 'getkeysinslot', String(slot), '100'))
            .split('\n')
            .filter((key) => key.length > 0);
          if (left.length === 0) break;
          await move(left);
        }
        // The target first, then the source, as redis-cli does: no moment with no owner.
        for (const port of [
          toPort,
          fromPort,
          ...ports.slice(0, 3).filter((p) => p !== toPort && p !== fromPort),
        ])
          await cli(port, 'cluster', 'setslot', String(slot), 'node', toId);
      },
    };
  };
  return {
    nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
    servers: nodes,
    masterPort,
    slotMigration,
    dispose: async () => {
      await Promise.all(nodes.map((node) => node.kill()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startRedisSentinel(options: TopologyOptions = {}): Promise<RedisSentinelHandle> {
  const name = 'aa-primary';
  const dir = mkdtempSync(join(tmpdir(), 'aa-sentinel-'));
  const [primaryPort, replicaPort, ...sentinelPorts] = await distinctFreePorts(5);
  if (primaryPort === undefined || replicaPort === undefined) throw new Error('no ports');
  const cli = redisCli(options);
  const sentinelCli = redisCli({ ...options, sentinel: true });
  // Replicas and sentinels reach the data nodes over TLS too.
  const tlsLinks = options.tls ? ['--tls-replication', 'yes'] : [];
  const dataArgs = (port: number) => [
    ...dataNodeArgs(port, options),
    ...tlsLinks,
    ...NO_PERSISTENCE,
    '--dir',
    dir,
  ];
  const primary = await startProcess('redis-server', primaryPort, dataArgs(primaryPort));
  const replica = await startProcess('redis-server', replicaPort, [
    ...dataArgs(replicaPort),
    '--replicaof',
    '127.0.0.1',
    String(primaryPort),
  ]);
  const sentinels = await Promise.all(
    sentinelPorts.map((port) => {
      // A sentinel rewrites its own config file, so each gets one.
      const file = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        file,
        [
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 2`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 5000`,
          `sentinel parallel-syncs ${name} 1`,
          ...(options.acl ? aclSentinelLines(name) : []),
          '',
        ].join('\n'),
      );
      return startProcess('redis-server', port, [
        file,
        '--sentinel',
        ...listenArgs(port, options),
        ...tlsLinks,
      ]);
    }),
  );
  const primaryPortNow = async () => {
    const reply = await sentinelCli(sentinelPorts[0] ?? 0, 'sentinel', 'get-master-addr-by-name', name);
    return Number(reply.trim().split('\n')[1]);
  };
  // Ready once the replica has synced and every sentinel knows the others and the replica.
  await until(async () => (await cli(replicaPort, 'info', 'replication')).includes('master_link_status:up'));
  await until(async () => {
    const replies = await Promise.all(
      sentinelPorts.map((port) => sentinelCli(port, 'sentinel', 'master', name)),
    );
    return replies.every((reply) => /num-other-sentinels\n2\b/.test(reply) && /num-slaves\n1\b/.test(reply));
  });
  return {
    name,
    sentinels: sentinelPorts.map((port) => ({ host: '127.0.0.1', port })),
    sentinelPassword: options.acl ? TEST_SENTINEL_PASSWORD : null,
    primary,
    replica,
    primaryPort: primaryPortNow,
    dispose: async () => {
      await Promise.all([primary, replica, ...sentinels].map((server) => server.kill()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until every node of the cluster says it serves all slots again. */
export async function clusterSettled(
  cluster: RedisClusterHandle,
  options: TopologyOptions = {},
): Promise<void> {
  const cli = redisCli(options);
  await Promise.all(
    cluster.nodes.map((node) =>
      until(async () => (await cli(node.port, 'cluster', 'info')).includes('cluster_state:ok')),
    ),
  );
}

/** redis-cli for the data nodes, or for the sentinels, of a topology started with `options`. */
function redisCli(
  options: TopologyOptions & { sentinel?: boolean },
): (port: number, ...args: string[]) => Promise<string> {
  const login = cliLogin(options);
  return async (port, ...args) => {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...login, ...args]);
    return stdout;
  };
}

function cliLogin(options: TopologyOptions & { sentinel?: boolean }): string[] {
  const tls = options.tls ? tlsCliArgs(options.tls) : [];
  if (!options.acl) return tls;
  return [...tls, ...(options.sentinel ? SENTINEL_CLI_ARGS : ACL_CLI_ARGS)];
}

/** Ports picked one by one may repeat; a cluster or sentinel set needs them all distinct. */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/**
 * A cluster node also listens 10,000 above its port (the cluster bus), and refuses to start
 * on a port above 55535: a port the system hands out may be neither.
 */
export async function clusterPorts(count: number, pick = freePort, busFree = listenable): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await pick();
    const taken = ports.flatMap((chosen) => [chosen, chosen + CLUSTER_BUS_OFFSET]);
    const usable =
      port + CLUSTER_BUS_OFFSET <= 65_535 &&
      ![port, port + CLUSTER_BUS_OFFSET].some((p) => taken.includes(p));
    if (usable && (await busFree(port + CLUSTER_BUS_OFFSET))) ports.push(port);
  }
  return ports;
}

const CLUSTER_BUS_OFFSET = 10_000;

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function startProcess(command: string, port: number, args: string[]): Promise<RedisProcess> {
  const { start, stop } = restartableServer(command, command, args, port);
  await start();
  return { port, start, kill: stop };
}

async function until(check: () => Promise<boolean>, withinMs = 20_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error('a Redis test topology did not become ready in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
