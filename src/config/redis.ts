import { z } from 'zod';

/** One host:port, as a Sentinel or a Cluster node is named. */
export interface RedisEndpoint {
  host: string;
  port: number;
}

/**
 * TLS for every connection of a topology (data nodes and sentinels): the CA file the servers'
 * certificates must chain to (the system's CAs when null) and, for servers that ask clients
 * for a certificate (Redis' default `tls-auth-clients yes`), the client's certificate and key.
 */
export interface RedisTls {
  caFile: string | null;
  client: { certFile: string; keyFile: string } | null;
}

/** ACL user and TLS (null: plain TCP), the same for every topology (REDIS_URL may carry them itself). */
export interface RedisAccess {
  username: string | null;
  password: string | null;
  tls: RedisTls | null;
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
  REDIS_TLS_CA_FILE: z.string().min(1, 'a path to a PEM file of the CAs trusted for Redis').optional(),
  REDIS_TLS_CERT_FILE: z.string().min(1, "a path to the PEM file of the app's client certificate").optional(),
  REDIS_TLS_KEY_FILE: z.string().min(1, "a path to the PEM file of the client certificate's key").optional(),
};

type RedisEnvironment = z.output<z.ZodObject<typeof redisEnvironment>>;

const TOPOLOGY_VARIABLES = ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const;

const TLS_FILE_VARIABLES = ['REDIS_TLS_CA_FILE', 'REDIS_TLS_CERT_FILE', 'REDIS_TLS_KEY_FILE'] as const;

/** TLS when REDIS_TLS or a rediss:// URL asks for it; its files are refused on plain TCP. */
function redisTls(e: RedisEnvironment, problems: string[]): RedisTls | null {
  const on = e.REDIS_TLS === 'true' || e.REDIS_URL?.startsWith('rediss://') === true;
  if (!on) {
    const stray = TLS_FILE_VARIABLES.filter((name) => e[name] !== undefined);
    if (stray.length > 0) {
      problems.push(
        `${stray.join(', ')}: set while TLS is off; set REDIS_TLS=true (or use a rediss:// URL), or remove them`,
      );
    }
    return null;
  }
  const { REDIS_TLS_CERT_FILE: certFile, REDIS_TLS_KEY_FILE: keyFile } = e;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    problems.push(
      `${certFile === undefined ? 'REDIS_TLS_CERT_FILE' : 'REDIS_TLS_KEY_FILE'}: not set; a client certificate needs both REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE`,
    );
  }
  return {
    caFile: e.REDIS_TLS_CA_FILE ?? null,
    client: certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : null,
  };
}

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
    tls: redisTls(e, problems),
  };
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
