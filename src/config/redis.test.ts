import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

function problemsOf(environment: Record<string, string>): string[] {
  const result = loadConfig(environment);
  return result.ok ? [] : result.problems;
}

function topologyOf(environment: Record<string, string>) {
  const result = loadConfig(environment);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.config.redis.topology;
}

describe('Redis topology configuration', () => {
  it('reads one node from REDIS_URL, with ACL user, password and TLS', () => {
    expect(
      topologyOf({
        REDIS_URL: 'redis://r:6379/0',
        REDIS_USERNAME: 'account-assistant',
        REDIS_PASSWORD: 'acl-secret',
        REDIS_TLS: 'true',
      }),
    ).toEqual({
      kind: 'node',
      url: 'redis://r:6379/0',
      access: {
        username: 'account-assistant',
        password: 'acl-secret',
        tls: { caFile: null, client: null },
      },
    });
  });

  it('reads Sentinel: the sentinels, the monitored name and the sentinel password', () => {
    expect(
      topologyOf({
        REDIS_SENTINELS: 's1:26379, s2:26380,[::1]:26381',
        REDIS_SENTINEL_NAME: 'mymaster',
        REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      }),
    ).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      name: 'mymaster',
      sentinelPassword: 'sentinel-secret',
      access: { username: null, password: null, tls: null },
    });
  });

  it('reads Cluster nodes, with ACL and TLS', () => {
    expect(
      topologyOf({ REDIS_CLUSTER_NODES: 'n1:7000,n2:7001', REDIS_PASSWORD: 'pw', REDIS_TLS: 'true' }),
    ).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      access: { username: null, password: 'pw', tls: { caFile: null, client: null } },
    });
  });

  it('refuses more than one topology in one line naming them and the choice', () => {
    const problems = problemsOf({ REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'n1:7000' });
    expect(problems).toEqual([
      'REDIS_URL, REDIS_CLUSTER_NODES: more than one set; expected exactly one of REDIS_URL (one node), REDIS_SENTINELS (Sentinel) or REDIS_CLUSTER_NODES (Cluster)',
    ]);
    expect(
      problemsOf({ REDIS_URL: 'redis://r', REDIS_SENTINELS: 's:1', REDIS_SENTINEL_NAME: 'm' }),
    ).toHaveLength(1);
  });

  it('says what is wrong with a bad list, a missing sentinel name or a stray sentinel name or password', () => {
    expect(problemsOf({ REDIS_CLUSTER_NODES: 'n1:7000,n2' })).toEqual([
      'REDIS_CLUSTER_NODES: invalid; expected host:port pairs of some cluster nodes separated by commas',
    ]);
    expect(problemsOf({ REDIS_SENTINELS: 's1:26379' })).toEqual([
      'REDIS_SENTINEL_NAME: not set; expected the name the sentinels monitor the primary under (required with REDIS_SENTINELS)',
    ]);
    expect(problemsOf({ REDIS_SENTINEL_NAME: 'mymaster' })).toEqual([
      'REDIS_SENTINEL_NAME: set without REDIS_SENTINELS, so nothing would read it; set REDIS_SENTINELS, or remove it',
    ]);
    expect(problemsOf({ REDIS_URL: 'redis://r:6379', REDIS_SENTINEL_PASSWORD: 'pw' })).toEqual([
      'REDIS_SENTINEL_PASSWORD: set without REDIS_SENTINELS, so nothing would read it; set REDIS_SENTINELS, or remove it',
    ]);
    expect(problemsOf({ REDIS_TLS: 'yes' })).toEqual(['REDIS_TLS: invalid; expected true or false']);
  });

  it('reads the TLS CA and client certificate for every topology, and TLS from a rediss:// URL', () => {
    const files = {
      REDIS_TLS_CA_FILE: '/etc/redis-tls/ca.pem',
      REDIS_TLS_CERT_FILE: '/etc/redis-tls/app.pem',
      REDIS_TLS_KEY_FILE: '/etc/redis-tls/app.key',
    };
    const tls = {
      caFile: '/etc/redis-tls/ca.pem',
      client: { certFile: '/etc/redis-tls/app.pem', keyFile: '/etc/redis-tls/app.key' },
    };
    expect(topologyOf({ REDIS_URL: 'rediss://r:6380', ...files })?.access.tls).toEqual(tls);
    expect(topologyOf({ REDIS_CLUSTER_NODES: 'n1:7000', REDIS_TLS: 'true', ...files })?.access.tls).toEqual(
      tls,
    );
    expect(
      topologyOf({
        REDIS_SENTINELS: 's1:26379',
        REDIS_SENTINEL_NAME: 'mymaster',
        REDIS_TLS: 'true',
        REDIS_TLS_CA_FILE: '/etc/redis-tls/ca.pem',
      })?.access.tls,
    ).toEqual({ caFile: '/etc/redis-tls/ca.pem', client: null });
  });

  it('refuses TLS files on plain TCP, and half a client certificate', () => {
    expect(problemsOf({ REDIS_URL: 'redis://r:6379', REDIS_TLS_CA_FILE: '/ca.pem' })).toEqual([
      'REDIS_TLS_CA_FILE: set while TLS is off; set REDIS_TLS=true (or use a rediss:// URL), or remove them',
    ]);
    expect(
      problemsOf({ REDIS_CLUSTER_NODES: 'n1:7000', REDIS_TLS: 'true', REDIS_TLS_CERT_FILE: '/app.pem' }),
    ).toEqual([
      'REDIS_TLS_KEY_FILE: not set; a client certificate needs both REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE',
    ]);
  });

  it('accepts Sentinel or Cluster in place of REDIS_URL in production', () => {
    const needs = (environment: Record<string, string>) =>
      problemsOf({ NODE_ENV: 'production', ...environment }).filter((line) => line.startsWith('REDIS'));
    expect(needs({})).toHaveLength(1);
    expect(needs({ REDIS_CLUSTER_NODES: 'n1:7000' })).toEqual([]);
    expect(needs({ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'mymaster' })).toEqual([]);
  });
});
