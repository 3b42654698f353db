import { describe, expect, it } from 'vitest';
import { MemoryAccountDirectory } from '../../adapters/memory/account-directory.js';
import { ManualClock } from '../../core/clock.js';
import type { AccountDirectory } from '../../ports/account-directory.js';
import { readingEachAccountOnce } from './account-reads.js';

/** The real in-process directory, with each read it answers counted. */
function counted(): { directory: AccountDirectory; reads: () => number } {
  const directory = new MemoryAccountDirectory(new ManualClock(0));
  let reads = 0;
  const count =
    <A extends unknown[], R>(read: (...args: A) => R) =>
    (...args: A) => {
      reads += 1;
      return read(...args);
    };
  directory.getById = count(directory.getById.bind(directory));
  directory.getBySlackUser = count(directory.getBySlackUser.bind(directory));
  return { directory, reads: () => reads };
}

describe('the directory one interaction sees', () => {
  it('reads an account once, also when it was found by its Slack user first', async () => {
    const { directory, reads } = counted();
    const account = await directory.create({ loginEmail: 'a@example.com', accountName: 'A' });
    await directory.linkSlackUser(account.accountId, 'T1', 'U1');
    const once = readingEachAccountOnce(directory);
    const before = reads();
    await once.getBySlackUser('T1', 'U1');
    await Promise.all([once.getById(account.accountId), once.getById(account.accountId)]);
    expect(reads() - before).toBe(1);
  });

  it('reads again after a write, so nothing after it sees the account as it was', async () => {
    const { directory } = counted();
    const account = await directory.create({ loginEmail: 'b@example.com', accountName: 'B' });
    const once = readingEachAccountOnce(directory);
    expect((await once.getById(account.accountId))?.contactNumber).toBeNull();
    await once.update(account.accountId, { contactNumber: '+8613900139000' });
    expect((await once.getById(account.accountId))?.contactNumber).toBe('+8613900139000');
  });

  it('keeps no failed read', async () => {
    const { directory } = counted();
    const once = readingEachAccountOnce(directory);
    let fail = true;
    const real = directory.getById.bind(directory);
    directory.getById = async (accountId) => {
      if (fail) throw new Error('store down');
      return real(accountId);
    };
    await expect(once.getById('1')).rejects.toThrow('store down');
    fail = false;
    expect(await once.getById('1')).toBeNull();
  });
});
