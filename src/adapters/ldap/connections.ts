import type { ConnectionOptions } from 'node:tls';
import { BusyError, Client, ResultCodeError, UnavailableError } from 'ldapts';
import type { LdapConfig } from '../../config/directory.js';
import { TemporarilyUnavailableError } from '../../core/errors.js';
import { readPemFile } from '../../core/pem-file.js';

/** What one connection needs; the bind password is held here and nowhere it could be logged. */
export type LdapConnectionSettings = Pick<
  LdapConfig,
  'urls' | 'startTls' | 'bindDn' | 'bindPassword' | 'caFile' | 'timeoutMs' | 'poolSize'
>;

interface Slot {
  client: Client | null;
  urlIndex: number;
}

/**
 * A small pool of connections bound as the service account, with failover across the
 * configured URLs, plus one-off connections that bind as a person (password checks and
 * changes). A transport failure or a busy/unavailable server is TemporarilyUnavailableError,
 * so every caller fails closed exactly as on a Redis outage. One operation, failover
 * included, never takes longer than `timeoutMs`: a Slack request waits for it inside its 3 s.
 */
export class LdapConnections {
  private readonly slots: Slot[];
  private readonly tls: ConnectionOptions;
  private next = 0;
  /** The URL new connections go to: moved on past one that failed, so the pool follows a failover. */
  private preferred = 0;

  constructor(private readonly settings: LdapConnectionSettings) {
    this.slots = Array.from({ length: settings.poolSize }, () => ({ client: null, urlIndex: 0 }));
    this.tls = settings.caFile === null ? {} : { ca: readPemFile(settings.caFile, 'LDAP_CA_FILE') };
  }

  /** Runs one operation as the service account; retries once on the next URL after a transport failure. */
  async service<T>(operation: string, run: (client: Client) => Promise<T>): Promise<T> {
    const slot = this.slots[this.next++ % this.slots.length] as Slot;
    const budget = new Budget(this.settings.timeoutMs);
    const attempts = Math.max(2, this.settings.urls.length);
    for (let attempt = 0; ; attempt++) {
      try {
        const urlsLeft = this.settings.urls.length - attempt;
        return await budget.share(urlsLeft, async () => run(await this.bound(slot)));
      } catch (error) {
        if (!isTransportFailure(error)) throw error;
        this.passOver(slot.urlIndex);
        await this.drop(slot);
        if (attempt + 1 >= attempts || budget.spent()) {
          throw new TemporarilyUnavailableError(`ldap ${operation}`, { cause: error });
        }
      }
    }
  }

  /**
   * Binds a fresh connection as the person and runs `run` on it. A wrong password (or a
   * locked account) is the bind's InvalidCredentialsError, passed to the caller unchanged.
   */
  async asPerson<T>(
    operation: string,
    dn: string,
    password: string,
    run: (client: Client) => Promise<T>,
    bindControls?: Parameters<Client['bind']>[2],
  ): Promise<T> {
    const budget = new Budget(this.settings.timeoutMs);
    const count = this.settings.urls.length;
    let lastFailure: unknown;
    for (let tried = 0; tried < count && !budget.spent(); tried++) {
      const index = (this.preferred + tried) % count;
      const client = this.connect(index);
      try {
        return await budget.share(count - tried, async () => {
          await this.secure(client, index);
          await client.bind(dn, password, bindControls);
          return run(client);
        });
      } catch (error) {
        if (!isTransportFailure(error)) throw error;
        this.passOver(index);
        lastFailure = error;
      } finally {
        await client.unbind().catch(() => undefined);
      }
    }
    throw new TemporarilyUnavailableError(`ldap ${operation}`, { cause: lastFailure });
  }

  /** True when the service account can bind and read the root DSE (readiness). */
  async ping(): Promise<boolean> {
    try {
      await this.service('ping', (client) => client.search('', { scope: 'base', attributes: ['1.1'] }));
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.drop(slot)));
  }

  private async bound(slot: Slot): Promise<Client> {
    if (slot.client?.isBound) return slot.client;
    await this.drop(slot);
    slot.urlIndex = this.preferred;
    const client = this.connect(slot.urlIndex);
    slot.client = client;
    await this.secure(client, slot.urlIndex);
    await client.bind(this.settings.bindDn, this.settings.bindPassword);
    return client;
  }

  private connect(urlIndex: number): Client {
    return new Client({
      url: this.settings.urls[urlIndex] ?? '',
      timeout: this.settings.timeoutMs,
      connectTimeout: this.settings.timeoutMs,
      tlsOptions: this.tls,
    });
  }

  private async secure(client: Client, urlIndex: number): Promise<void> {
    const url = this.settings.urls[urlIndex] ?? '';
    if (this.settings.startTls && url.startsWith('ldap://')) await client.startTLS(this.tls);
  }

  /** After a failure on `urlIndex`, new connections try the next URL (unless another failure moved on already). */
  private passOver(urlIndex: number): void {
    if (this.preferred === urlIndex) this.preferred = (urlIndex + 1) % this.settings.urls.length;
  }

  private async drop(slot: Slot): Promise<void> {
    const client = slot.client;
    slot.client = null;
    await client?.unbind().catch(() => undefined);
  }
}

/**
 * The time one operation may take, shared among the URLs it may still try: each gets an equal
 * part of what is left, so a hung first URL leaves time for the next, and a quick refusal (a
 * pooled connection the server closed) leaves the retry nearly all of it.
 */
class Budget {
  private readonly deadline: number;

  constructor(totalMs: number) {
    this.deadline = performance.now() + totalMs;
  }

  spent(): boolean {
    return performance.now() >= this.deadline;
  }

  /** Runs `work` for at most 1/`urlsLeft` of the remaining time; past it, a timeout error. */
  share<T>(urlsLeft: number, work: () => Promise<T>): Promise<T> {
    const ms = Math.max(0, (this.deadline - performance.now()) / Math.max(1, urlsLeft));
    const running = work();
    // Once the attempt timed out, its own late failure has nobody to tell.
    running.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error('Operation timed out: no answer within LDAP_TIMEOUT_MS')),
        ms,
      );
    });
    return Promise.race([running, expired]).finally(() => clearTimeout(timer));
  }
}

const TRANSPORT_FAILURE =
  /Connection timeout|Operation timed out|Socket error|Connection closed|Socket connection not established|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND/;

/**
 * The server being away, busy or unwilling to serve now is an outage; any other answer of
 * the server (a refused bind included) is its verdict, and our own bugs stay bugs.
 */
function isTransportFailure(error: unknown): boolean {
  if (error instanceof UnavailableError || error instanceof BusyError) return true;
  if (error instanceof ResultCodeError) return false;
  return (
    error instanceof Error &&
    TRANSPORT_FAILURE.test(`${error.message} ${String((error as NodeJS.ErrnoException).code)}`)
  );
}
