import { z } from 'zod';
import type { SaveBasicInfoInput, SaveBasicInfoOutput } from '../../../machines/index.js';
import type { ProfilePatch } from '../../domain/account.js';
import { accountName, contactAddress, industry, validateForm } from '../../services/validation.js';
import { audit, once, requireAccount, type EffectScope } from './context.js';

const sections = {
  name: z.object({ accountName }),
  industry: z.object({ industry }),
  address: contactAddress,
} as const;

function patchFor(input: SaveBasicInfoInput, value: unknown): ProfilePatch {
  if (input.section === 'address') return { contactAddress: value as ProfilePatch['contactAddress'] };
  return value as ProfilePatch;
}

/** SPEC 3.2: validates one section (errors are catalog sentences per field) and saves it. */
export function saveBasicInfo(ctx: EffectScope, input: SaveBasicInfoInput): Promise<SaveBasicInfoOutput> {
  return once(ctx, input.step, async () => {
    const checked = validateForm(sections[input.section], input.values);
    if (!checked.ok) return { outcome: 'invalid', fieldErrors: checked.errors };
    const account = await requireAccount(ctx);
    await ctx.deps.directory.update(account.accountId, patchFor(input, checked.value));
    await audit(ctx, {
      accountId: account.accountId,
      action: `account.basicInfo`,
      outcome: 'success',
      detail: { section: input.section },
    });
    return { outcome: 'saved' };
  });
}
