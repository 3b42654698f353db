import type { Account } from '../../domain/account.js';
import type { AccountDirectory } from '../../ports/account-directory.js';

const CACHED: ReadonlySet<PropertyKey> = new Set<keyof AccountDirectory>([
  'getById',
  'getByLoginEmail',
  'getBySlackUser',
]);
const READ_ONLY = /^(get|list)/;

const byId = (accountId: string): string => JSON.stringify(['getById', accountId]);

function accountIdOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || !('accountId' in value)) return null;
  return typeof value.accountId === 'string' ? value.accountId : null;
}

/**
 * The directory as one interaction sees it: each account is read once, however many
 * effects ask (an account found by its Slack user is also found by its id), and any write
 * forgets what was read, so nothing after it sees the account as it was. `known`: the
 * account the caller already read for this request, found by its id without a read.
 */
export function readingEachAccountOnce(directory: AccountDirectory, known?: Account): AccountDirectory {
  const reads = new Map<string, Promise<unknown>>();
  if (known !== undefined) reads.set(byId(known.accountId), Promise.resolve(known));
  const read = (key: string, load: () => unknown): Promise<unknown> => {
    const known = reads.get(key);
    if (known !== undefined) return known;
    const loading = Promise.resolve(load());
    reads.set(key, loading);
    loading.then(
      (account) => {
        const accountId = accountIdOf(account);
        if (accountId !== null && reads.get(key) === loading) reads.set(byId(accountId), loading);
      },
      () => {
        if (reads.get(key) === loading) reads.delete(key);
      },
    );
    return loading;
  };
  return new Proxy(directory, {
    get(target, name) {
      const member: unknown = Reflect.get(target, name, target);
      if (typeof member !== 'function') return member;
      const call = (args: unknown[]): unknown => Reflect.apply(member, target, args);
      if (CACHED.has(name)) {
        return (...args: unknown[]) => read(JSON.stringify([name, ...args]), () => call(args));
      }
      if (typeof name === 'string' && READ_ONLY.test(name)) return (...args: unknown[]) => call(args);
      return (...args: unknown[]) => {
        reads.clear();
        return call(args);
      };
    },
  });
}
