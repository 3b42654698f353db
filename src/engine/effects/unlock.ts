import type { UnlockDirectoryInput, UnlockDirectoryOutput } from '../../../machines/index.js';
import { audit, once, requireAccount, type EffectScope } from './context.js';

/** SPEC 3.12: clears the directory's lockout of the flow's account, once per flow step. */
export function unlockDirectory(
  ctx: EffectScope,
  input: UnlockDirectoryInput,
): Promise<UnlockDirectoryOutput> {
  return once(ctx, input.step, async () => {
    const account = await requireAccount(ctx);
    const unlocked = await ctx.deps.passwords.unlockDirectory(account.accountId);
    await audit(ctx, {
      accountId: account.accountId,
      action: 'account.unlock',
      outcome: unlocked ? 'success' : 'info',
      detail: { directory: unlocked ? 'unlocked' : 'no-lock' },
    });
    return { outcome: unlocked ? 'unlocked' : 'notLocked' };
  });
}
