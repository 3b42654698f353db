import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StartupError } from '../core/errors.js';
import { startup } from '../messages/startup.js';

/** The variables that set where a server listens, so a failure to bind names the one to change. */
export interface ListenVariables {
  host: string;
  port: string;
}

export interface Listening {
  server: Server;
  host: string;
  port: number;
}

export async function listenOn(
  app: RequestListener,
  where: { host: string; port: number },
  variables: ListenVariables,
  announce: (listening: Listening) => void,
): Promise<Listening> {
  const server = createServer(app).listen(where.port, where.host);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (error) {
    server.close();
    throw listenFailure(error, where, variables);
  }
  const address = server.address() as AddressInfo;
  const listening = { server, host: address.address, port: address.port };
  announce(listening);
  return listening;
}

function listenFailure(
  error: unknown,
  where: { host: string; port: number },
  variables: ListenVariables,
): StartupError {
  const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
  if (code === 'EADDRINUSE')
    return new StartupError(startup.portInUse(variables.port, where.host, where.port));
  if (code === 'EACCES') return new StartupError(startup.portDenied(variables.port, where.port));
  return new StartupError(startup.cannotListen(variables.host, where.host, code));
}
