import bcrypt from 'bcrypt';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Account } from '../../domain/account.js';
import { messages } from '../../messages/catalog.js';
import { fieldErrorText } from '../../messages/validation.js';
import { createPasswordHasher } from './hashing.js';
import { accountContextWords } from './context-words.js';
import { checkPassword, type PasswordCheck, type PasswordContext } from './policy.js';

const rules = messages.credentials.rules;
const seed: PasswordContext = { policy: 'seed' };
const nist: PasswordContext = { policy: 'nist' };

function failedRules(result: PasswordCheck): string[] {
  return result.ok ? [] : result.failures.map((failure) => failure.rule);
}

async function expectOnly(password: string, context: PasswordContext, rule: string, message?: string) {
  const result = await checkPassword(password, context);
  expect(failedRules(result)).toEqual([rule]);
  if (message !== undefined && !result.ok)
    expect(fieldErrorText(result.failures[0]?.error ?? { key: 'invalid' })).toBe(message);
}

async function expectAccepted(password: string, context: PasswordContext, normalized = password) {
  expect(await checkPassword(password, context)).toEqual({ ok: true, normalized });
}

describe('seed policy', () => {
  it('accepts a password that follows every rule, unchanged', async () => {
    await expectAccepted('Blue.Sky_42', seed);
  });

  it('wants 8 to 20 characters', async () => {
    await expectOnly('Ab1.xyz', seed, 'length', rules.tooShort(8));
    await expectAccepted('Ab1.xyzw', seed);
    await expectAccepted('Ab1.' + 'x'.repeat(16), seed);
    await expectOnly('Ab1.' + 'x'.repeat(17), seed, 'length', rules.tooLong(20));
  });

  it('wants a letter, a digit and a symbol', async () => {
    await expectOnly('9081726354.!', seed, 'letter', rules.letter);
    await expectOnly('Blue.Sky_Go', seed, 'digit', rules.digit);
    await expectOnly('BlueSky42x', seed, 'symbol', rules.symbol);
    for (const symbol of ['.', '/', '_', '~', '`', '{', '@', '['])
      await expectAccepted(`BlueSky42${symbol}`, seed);
  });

  it('refuses spaces', async () => {
    await expectOnly('Blue Sky.42', seed, 'spaces', rules.spaces);
    await expectOnly('Blue\u00a0Sky.42', seed, 'spaces', rules.spaces);
  });

  it('refuses characters outside printable ASCII', async () => {
    await expectOnly('Blüe.Sky42', seed, 'characters', rules.asciiOnly);
    await expectOnly('Ｂlue.Sky42', seed, 'characters', rules.asciiOnly);
  });

  it('refuses common passwords whatever their case', async () => {
    await expectOnly('P@ssw0rd', seed, 'common', rules.common);
    await expectOnly('pA$$W0RD', seed, 'common', rules.common);
    await expectAccepted('Password1!', seed);
  });

  it('refuses the login email and its local part, ignoring case', async () => {
    await expectOnly('JD.42@EX.IO', { ...seed, loginEmail: 'jd.42@ex.io' }, 'login-email', rules.loginEmail);
    await expectOnly('Jane.Doe42', { ...seed, loginEmail: 'jane.doe42@example.com' }, 'login-email');
    await expectAccepted('Jane.Doe42!', { ...seed, loginEmail: 'jane.doe42@example.com' });
    await expectAccepted('Jane.Doe42', { ...seed, loginEmail: null });
  });

  it('reports every rule that fails, not only the first', async () => {
    expect(failedRules(await checkPassword('', seed))).toEqual(['length', 'letter', 'digit', 'symbol']);
    expect(failedRules(await checkPassword('password', seed))).toEqual(['digit', 'symbol', 'common']);
    expect(failedRules(await checkPassword('password1', seed))).toEqual(['symbol', 'common']);
    expect(failedRules(await checkPassword('a b', seed))).toEqual(['length', 'spaces', 'digit', 'symbol']);
    expect(failedRules(await checkPassword('😀'.repeat(19), seed))).toEqual([
      'bytes',
      'characters',
      'letter',
      'digit',
      'symbol',
    ]);
  });

  it('gives every failure a sentence from the catalog', async () => {
    const catalogSentences = new Set(
      Object.values(rules).flatMap((rule) =>
        typeof rule === 'string' ? [rule] : [rule(8), rule(20), rule(3), rule(72)],
      ),
    );
    const result = await checkPassword('pass word😀', { ...seed, loginEmail: 'pass word😀@x.io' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    for (const failure of result.failures) expect(catalogSentences).toContain(fieldErrorText(failure.error));
  });

  describe('context words', () => {
    it('refuses a password containing one, ignoring case: Acme2026! when Acme is the company', async () => {
      await expectOnly('Acme2026!', { ...seed, contextWords: ['acme'] }, 'context', rules.context);
      await expectOnly('xxACMExx.9', { ...seed, contextWords: ['acme'] }, 'context');
      await expectAccepted('Acne2026!x', { ...seed, contextWords: ['acme'] });
    });

    it('derives them from the account: name, email words without the top-level domain, contact name and company', () => {
      const account = {
        accountName: 'Jane Doe',
        loginEmail: 'jane.doe+hr@rocketship.example.com',
        contactEmail: 'j.d@mail.co',
        verificationEmail: null,
        contactAddress: { fullName: 'Janet Q Doe', companyName: 'Globex Holdings Ltd' },
      } as Account;
      expect(accountContextWords(account).sort()).toEqual(
        ['jane', 'janet', 'rocketship', 'example', 'globex', 'holdings', 'mail'].sort(),
      );
    });
  });

  describe('history', () => {
    const hasher = createPasswordHasher({ bcryptCost: 4 });
    const previous = ['Fourth.ago_4', 'Third.ago_3', 'Second.ago_2', 'Current.pw_1'];
    let recentHashes: string[] = [];

    beforeAll(async () => {
      // Newest first, as the context expects.
      recentHashes = await Promise.all([...previous].reverse().map((password) => hasher.hash(password)));
    });

    it('refuses the current password and the two before it', async () => {
      for (const password of ['Current.pw_1', 'Second.ago_2', 'Third.ago_3']) {
        await expectOnly(password, { ...seed, recentHashes }, 'history', rules.history(3));
      }
    });

    it('allows the fourth previous password again', async () => {
      await expectAccepted('Fourth.ago_4', { ...seed, recentHashes });
    });

    it('is compared only for a password every cheap rule accepted', async () => {
      const compares = vi.spyOn(bcrypt, 'compare');
      try {
        const refused = await checkPassword('Current.pw_1 x', { ...seed, recentHashes });
        expect(failedRules(refused)).toEqual(['spaces']);
        await expectOnly('Current.acme1', { ...seed, recentHashes, contextWords: ['acme'] }, 'context');
        expect(compares).not.toHaveBeenCalled();
        await expectOnly('Current.pw_1', { ...seed, recentHashes }, 'history');
        expect(compares).toHaveBeenCalledTimes(3);
      } finally {
        compares.mockRestore();
      }
    });

    it('follows the configured history size', async () => {
      await expectAccepted('Second.ago_2', { ...seed, recentHashes, historySize: 1 });
      await expectOnly(
        'Current.pw_1',
        { ...seed, recentHashes, historySize: 1 },
        'history',
        rules.history(1),
      );
      await expectAccepted('Current.pw_1', { ...seed, recentHashes, historySize: 0 });
      await expectOnly('Fourth.ago_4', { ...seed, recentHashes, historySize: 4 }, 'history');
    });
  });
});

describe('nist policy', () => {
  const fifteen = 'lantern orchard';

  it('accepts a long passphrase with spaces and no composition rules', async () => {
    await expectAccepted('correct horse battery staple', nist);
    await expectAccepted('all lower case words', nist);
  });

  it('wants 15 to 64 characters, counted in code points', async () => {
    await expectOnly(fifteen.slice(0, 14), nist, 'length', rules.tooShort(15));
    await expectAccepted(fifteen, nist);
    await expectAccepted('lantern '.repeat(8), nist);
    await expectOnly('lantern '.repeat(8) + 'x', nist, 'length', rules.tooLong(64));
    await expectAccepted('ключ от сада тут', nist);
  });

  it('lowers the minimum to 8 with a second factor', async () => {
    await expectAccepted('lnt.orch', { ...nist, hasSecondFactor: true });
    await expectOnly('lnt.orc', { ...nist, hasSecondFactor: true }, 'length', rules.tooShort(8));
  });

  it('normalises to NFKC and checks the normalised form', async () => {
    await expectAccepted('ｌａｎｔｅｒｎ ｏｒｃｈａｒｄ', nist, fifteen);
    await expectAccepted('ﬁne lantern orchard', nist, 'fine lantern orchard');
    await expectOnly('ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ', nist, 'common');
  });

  it('refuses control characters but allows any printable Unicode', async () => {
    await expectOnly('lantern\torchard', nist, 'characters', rules.printable);
    await expectOnly('lantern\norchard', nist, 'characters', rules.printable);
    await expectOnly('lantern\u2028orchard', nist, 'characters', rules.printable);
    await expectAccepted('灯笼 果园 lantern 🌳', nist);
  });

  it('refuses common passwords whatever their case', async () => {
    await expectOnly('passwordpassword', nist, 'common', rules.common);
    await expectOnly('PasswordPassword', nist, 'common', rules.common);
  });

  it('has no history rule', async () => {
    const hasher = createPasswordHasher({ bcryptCost: 4 });
    const recentHashes = [await hasher.hash(fifteen)];
    await expectAccepted(fifteen, { ...nist, recentHashes });
  });

  it('refuses the login email and its local part, ignoring case and width', async () => {
    const loginEmail = 'lantern.orchard@example.com';
    await expectOnly('Lantern.Orchard', { ...nist, loginEmail }, 'login-email', rules.loginEmail);
    await expectOnly('LANTERN.ORCHARD@EXAMPLE.COM', { ...nist, loginEmail }, 'login-email');
    await expectOnly('ｌａｎｔｅｒｎ.ｏｒｃｈａｒｄ', { ...nist, loginEmail }, 'login-email');
    await expectAccepted('lantern.orchard', { ...nist, loginEmail: 'someone.else@example.com' });
  });

  it('refuses context words like the seed policy', async () => {
    await expectOnly('acme rocket launch pad', { ...nist, contextWords: ['acme'] }, 'context', rules.context);
    await expectAccepted('rocket launch pad tower', { ...nist, contextWords: ['acme'] });
  });

  it('refuses more than 72 UTF-8 bytes with its own message: 18 four-byte emoji pass, 19 do not', async () => {
    await expectAccepted('😀'.repeat(18), nist);
    await expectOnly('😀'.repeat(19), nist, 'bytes', rules.bytes(72));
    await expectOnly('ключ '.repeat(9), nist, 'bytes');
  });
});
