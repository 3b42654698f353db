import { z } from 'zod';

/** One host:port, as a Sentinel or a Cluster node is named. */
export interface RedisEndpoint {
  host: string;
  port: number;
}

/** ACL user and TLS, the same for every topology (REDIS_URL may carry them itself). */
export interface RedisAccess {
  username: string | null;
  password: string | null;
  tls: boolean;
}

/** Which Redis the app runs on: exactly one of the three topologies. */
export type RedisTopology =
  | { kind: 'node'; url: string; access: RedisAccess }
  | {
      kind: 'sentinel';
      sentinels: RedisEndpoint[];
      name: string;
      sentinelPassword: string | null;
      access: RedisAccess;
    }
  | { kind: 'cluster'; nodes: RedisEndpoint[]; access: RedisAccess };

const ENDPOINT = /^(\[[0-9a-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/i;

function endpointList(expected: string) {
  return z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry.length > 0),
    )
    .pipe(z.array(z.string().regex(ENDPOINT, expected)).min(1, expected))
    .transform((entries) => entries.map(toEndpoint))
    .optional();
}

function toEndpoint(entry: string): RedisEndpoint {
  const match = ENDPOINT.exec(entry);
  const host = match?.[1] ?? '';
  return { host: host.replace(/^\[(.*)\]$/, '$1'), port: Number(match?.[2]) };
}

/** The Redis variables, spread into the one environment schema. */
export const redisEnvironment = {
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
    .optional(),
  REDIS_SENTINELS: endpointList('host:port pairs of the sentinels separated by commas'),
  REDIS_SENTINEL_NAME: z
    .string()
    .regex(/^[\w.-]{1,64}$/, 'the name the sentinels monitor the primary under, such as mymaster')
    .optional(),
  REDIS_SENTINEL_PASSWORD: z.string().min(1, "the sentinels' password").optional(),
  REDIS_CLUSTER_NODES: endpointList('host:port pairs of some cluster nodes separated by commas'),
  REDIS_USERNAME: z
    .string()
    .regex(/^\S{1,128}$/, 'an ACL user name')
    .optional(),
  REDIS_PASSWORD: z.string().min(1, 'the ACL password').optional(),
  REDIS_TLS: z.enum(['true', 'false'], 'true or false').default('false'),
};

type RedisEnvironment = z.output<z.ZodObject<typeof redisEnvironment>>;

const TOPOLOGY_VARIABLES = ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const;

/** The chosen topology, or null for the in-process store; problems name what is wrong. */
export function redisTopology(e: RedisEnvironment, problems: string[]): RedisTopology | null {
  const chosen = TOPOLOGY_VARIABLES.filter((name) => e[name] !== undefined);
  if (chosen.length > 1) {
    problems.push(
      `${chosen.join(', ')}: more than one set; expected exactly one of REDIS_URL (one node), REDIS_SENTINELS (Sentinel) or REDIS_CLUSTER_NODES (Cluster)`,
    );
    return null;
  }
  const access: RedisAccess = {
    username: e.REDIS_USERNAME ?? null,
    password: e.REDIS_PASSWORD ?? null,
    tls: e.REDIS_TLS === 'true',
  };
  if (e.REDIS_SENTINELS === undefined && e.REDIS_SENTINEL_NAME !== undefined) {
    problems.push('REDIS_SENTINEL_NAME: set without REDIS_SENTINELS; expected both, or neither');
  }
  if (e.REDIS_URL !== undefined) return { kind: 'node', url: e.REDIS_URL, access };
  if (e.REDIS_CLUSTER_NODES !== undefined) return { kind: 'cluster', nodes: e.REDIS_CLUSTER_NODES, access };
  if (e.REDIS_SENTINELS !== undefined) {
    if (e.REDIS_SENTINEL_NAME === undefined) {
      problems.push(
        'REDIS_SENTINEL_NAME: not set; expected the name the sentinels monitor the primary under (required with REDIS_SENTINELS)',
      );
      return null;
    }
    return {
      kind: 'sentinel',
      sentinels: e.REDIS_SENTINELS,
      name: e.REDIS_SENTINEL_NAME,
      sentinelPassword: e.REDIS_SENTINEL_PASSWORD ?? null,
      access,
    };
  }
  return null;
}
