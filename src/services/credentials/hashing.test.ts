import bcrypt from 'bcrypt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { CorruptRecordError } from '../../core/errors.js';
import { createPasswordHasher, PasswordTooLongError } from './hashing.js';
import { createCredentials } from './index.js';

const hasher4 = createPasswordHasher({ bcryptCost: 4 });
const hasher5 = createPasswordHasher({ bcryptCost: 5 });
const emoji = (count: number) => '😀'.repeat(count);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hasher4.hash('Blue.Sky_42');
    expect(stored).toMatch(/^\$2b\$04\$/);
    expect(await hasher4.verify('Blue.Sky_42', stored)).toEqual({ ok: true, needsRehash: false });
    expect(await hasher4.verify('blue.sky_42', stored)).toEqual({ ok: false, needsRehash: false });
  });

  it('asks for a rehash when the stored cost is lower than configured', async () => {
    const stored = await hasher4.hash('Blue.Sky_42');
    expect(await hasher5.verify('Blue.Sky_42', stored)).toEqual({ ok: true, needsRehash: true });
    expect(await hasher5.verify('Wrong.Sky_42', stored)).toEqual({ ok: false, needsRehash: false });
    const rehashed = await hasher5.hash('Blue.Sky_42');
    expect(await hasher5.verify('Blue.Sky_42', rehashed)).toEqual({ ok: true, needsRehash: false });
  });

  it('refuses to hash more than 72 UTF-8 bytes instead of truncating', async () => {
    await expect(hasher4.hash(emoji(19))).rejects.toBeInstanceOf(PasswordTooLongError);
    const stored = await hasher4.hash(emoji(18));
    expect((await hasher4.verify(emoji(18), stored)).ok).toBe(true);
  });

  it('never accepts a longer password whose first 72 bytes match', async () => {
    const stored = await hasher4.hash('x'.repeat(72));
    expect(await bcrypt.compare('x'.repeat(73), stored)).toBe(true);
    expect(await hasher4.verify('x'.repeat(73), stored)).toEqual({ ok: false, needsRehash: false });
    expect(await hasher4.matchesAny('x'.repeat(73), [stored])).toBe(false);
  });

  it('compares NFKC forms, so a full-width spelling of the same password matches', async () => {
    const stored = await hasher4.hash('ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ');
    expect((await hasher4.verify('correct horse battery', stored)).ok).toBe(true);
  });

  it('reports a stored value that is not a bcrypt hash as corrupt', async () => {
    await expect(hasher4.verify('Blue.Sky_42', 'not-a-hash')).rejects.toBeInstanceOf(CorruptRecordError);
    await expect(hasher4.matchesAny('Blue.Sky_42', ['not-a-hash'])).rejects.toBeInstanceOf(
      CorruptRecordError,
    );
  });

  it('matches a password against any of several hashes', async () => {
    const hashes = [await hasher4.hash('First.one_1'), await hasher4.hash('Second.one_2')];
    expect(await hasher4.matchesAny('Second.one_2', hashes)).toBe(true);
    expect(await hasher4.matchesAny('Third.one_3', hashes)).toBe(false);
    expect(await hasher4.matchesAny('Third.one_3', [])).toBe(false);
  });
});

describe('dummy verification for unknown accounts', () => {
  it('is always false, even for the password the dummy was made from', async () => {
    const hashSpy = vi.spyOn(bcrypt, 'hash');
    const hasher = createPasswordHasher({ bcryptCost: 5 });
    expect(await hasher.verifyAgainstDummy('Blue.Sky_42')).toBe(false);
    const dummySource = hashSpy.mock.calls[0]?.[0];
    expect(typeof dummySource).toBe('string');
    expect(await hasher.verifyAgainstDummy(String(dummySource))).toBe(false);
  });

  it('does the same bcrypt work as a real check: one compare against a hash of the configured cost', async () => {
    const hashSpy = vi.spyOn(bcrypt, 'hash');
    const compareSpy = vi.spyOn(bcrypt, 'compare');
    const hasher = createPasswordHasher({ bcryptCost: 5 });
    await hasher.verifyAgainstDummy('Blue.Sky_42');
    await hasher.verifyAgainstDummy('Other.Sky_42');
    await hasher.verifyAgainstDummy('x'.repeat(100));
    expect(hashSpy).toHaveBeenCalledTimes(1);
    expect(hashSpy.mock.calls[0]?.[1]).toBe(5);
    expect(compareSpy).toHaveBeenCalledTimes(3);
    for (const [, against] of compareSpy.mock.calls) expect(bcrypt.getRounds(against)).toBe(5);
  });

  it('is also what a too-long password costs on a known account', async () => {
    const stored = await hasher5.hash('Blue.Sky_42');
    const compareSpy = vi.spyOn(bcrypt, 'compare');
    await hasher5.verify('x'.repeat(100), stored);
    expect(compareSpy).toHaveBeenCalledTimes(1);
    expect(compareSpy.mock.calls[0]?.[1]).not.toBe(stored);
  });
});

describe('configured credentials', () => {
  it('hash at the default cost of 12', async () => {
    const loaded = loadConfig({});
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
    const credentials = createCredentials(loaded.config.passwords);
    const stored = await credentials.hash('Blue.Sky_42');
    expect(bcrypt.getRounds(stored)).toBe(12);
  });

  it('apply the configured policy and history size', async () => {
    const loaded = loadConfig({ PASSWORD_HISTORY: '1', BCRYPT_COST: '4' });
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
    const seed = createCredentials(loaded.config.passwords);
    const recentHashes = [await seed.hash('Current.pw_1'), await seed.hash('Previous.pw_2')];
    expect(await seed.checkPassword('Previous.pw_2', { recentHashes })).toEqual({
      ok: true,
      normalized: 'Previous.pw_2',
    });
    expect(await seed.checkPassword('Current.pw_1', { recentHashes })).toMatchObject({
      ok: false,
      failures: [{ rule: 'history' }],
    });
    const nist = createCredentials({ ...loaded.config.passwords, policy: 'nist' });
    expect(await nist.checkPassword('Blue.Sky_42', {})).toMatchObject({
      ok: false,
      failures: [{ rule: 'length' }],
    });
  });
});
