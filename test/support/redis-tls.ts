import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throwaway CA and what it signed, as PEM files in a temp folder. */
export interface TestCertificates {
  /** The CA the servers' and the client's certificates chain to. */
  caFile: string;
  /** The servers' certificate (127.0.0.1 and localhost), also presented by server-to-server links. */
  server: { certFile: string; keyFile: string };
  /** The app's client certificate, for servers that ask for one (tls-auth-clients yes). */
  client: { certFile: string; keyFile: string };
  /** A CA that signed nothing here: a client trusting only it must refuse the servers. */
  otherCaFile: string;
  dispose(): void;
}

const ONE_DAY = ['-days', '1'];
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Makes the certificates with the openssl command (P-256 keys: quick to make). */
export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = mkdtempSync(join(tmpdir(), 'aa-tls-'));
  const file = (name: string) => join(dir, name);
  const selfSigned = (name: string) =>
    run('openssl', [
      'req',
      '-x509',
      ...EC_KEY,
      ...ONE_DAY,
      '-subj',
      `/CN=${name}`,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.crt`),
    ]);
  await Promise.all([selfSigned('test-ca'), selfSigned('other-ca')]);
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  const signed = async (name: string) => {
    await run('openssl', [
      'req',
      ...EC_KEY,
      '-subj',
      `/CN=${name}`,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.csr`),
    ]);
    await run('openssl', [
      'x509',
      '-req',
      ...ONE_DAY,
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('test-ca.crt'),
      '-CAkey',
      file('test-ca.key'),
      '-set_serial',
      name === 'server' ? '1' : '2',
      '-extfile',
      file('san.ext'),
      '-out',
      file(`${name}.crt`),
    ]);
    return { certFile: file(`${name}.crt`), keyFile: file(`${name}.key`) };
  };
  const [server, client] = await Promise.all([signed('server'), signed('client')]);
  return {
    caFile: file('test-ca.crt'),
    server,
    client,
    otherCaFile: file('other-ca.crt'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** redis-server options serving TLS only on `port`, trusting the test CA for clients and peers. */
export function tlsServerArgs(certificates: TestCertificates, port: number): string[] {
  return [
    ...['--port', '0', '--tls-port', String(port)],
    ...['--tls-cert-file', certificates.server.certFile, '--tls-key-file', certificates.server.keyFile],
    ...['--tls-ca-cert-file', certificates.caFile],
  ];
}

/** redis-cli options to talk to those servers. */
export function tlsCliArgs(certificates: TestCertificates): string[] {
  return [
    ...['--tls', '--cacert', certificates.caFile],
    ...['--cert', certificates.server.certFile, '--key', certificates.server.keyFile],
  ];
}
