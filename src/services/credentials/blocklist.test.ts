import { describe, expect, it } from 'vitest';
import { isCommonPassword, loadCommonPasswords } from './blocklist.js';

describe('common password list', () => {
  it('is the packaged list, not a hand-typed one', async () => {
    const list = await loadCommonPasswords();
    expect(list.size).toBeGreaterThanOrEqual(10_000);
  });

  it('is loaded once and shared', async () => {
    expect(await loadCommonPasswords()).toBe(await loadCommonPasswords());
  });

  it('finds common passwords whatever their case', async () => {
    expect(await isCommonPassword('password1')).toBe(true);
    expect(await isCommonPassword('PassWord1')).toBe(true);
    expect(await isCommonPassword('P@ssw0rd')).toBe(true);
    expect(await isCommonPassword('passwordpassword')).toBe(true);
  });

  it('lets uncommon passwords through', async () => {
    expect(await isCommonPassword('Password1!')).toBe(false);
    expect(await isCommonPassword('Blue.Sky_42')).toBe(false);
  });
});
