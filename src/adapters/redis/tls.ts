import { isIP } from 'node:net';
import { connect, type ConnectionOptions } from 'node:tls';
import type { RedisEndpoint, RedisTls } from '../../config/redis.js';
import { readPemFile } from '../../core/pem-file.js';

/**
 * Node's TLS options for Redis: the configured CA replaces the system's (a private CA is
 * the usual case), and the client certificate is presented when configured. The files are
 * read as the connection is made, which is start-up; one that cannot be read stops it.
 */
export function redisTlsOptions(tls: RedisTls): ConnectionOptions {
  return {
    ...(tls.caFile === null ? {} : { ca: readPemFile(tls.caFile, 'REDIS_TLS_CA_FILE') }),
    ...(tls.client === null
      ? {}
      : {
          cert: readPemFile(tls.client.certFile, 'REDIS_TLS_CERT_FILE'),
          key: readPemFile(tls.client.keyFile, 'REDIS_TLS_KEY_FILE'),
        }),
  };
}

/** Node's codes for a server certificate this client does not trust (or that names another host). */
const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Shakes hands with each endpoint and returns the first one whose certificate this client
 * refuses, with Node's reason; null when every handshake succeeds or fails for another
 * reason. ioredis hides the reason behind "Connection is closed" for Sentinel and Cluster.
 */
export async function untrustedEndpoint(
  endpoints: readonly RedisEndpoint[],
  options: ConnectionOptions,
  timeoutMs = 2_000,
): Promise<{ endpoint: RedisEndpoint; reason: string } | null> {
  const verdicts = await Promise.all(endpoints.map((endpoint) => handshake(endpoint, options, timeoutMs)));
  const index = verdicts.findIndex((reason) => reason !== null);
  const endpoint = endpoints[index];
  const reason = verdicts[index];
  return endpoint === undefined || reason === undefined || reason === null ? null : { endpoint, reason };
}

function handshake(
  endpoint: RedisEndpoint,
  options: ConnectionOptions,
  timeoutMs: number,
): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({
      ...options,
      host: endpoint.host,
      port: endpoint.port,
      ...(isIP(endpoint.host) ? {} : { servername: endpoint.host }),
    });
    const done = (verdict: string | null) => {
      socket.destroy();
      resolve(verdict);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once('secureConnect', () => done(null));
    socket.once('error', (error: Error & { code?: string }) =>
      done(UNTRUSTED_CERTIFICATE.has(error.code ?? '') ? error.message : null),
    );
  });
}
