import { z } from 'zod';
import type { FieldErrors, SaveBasicInfoInput, SaveBasicInfoOutput } from '../../../machines/index.js';
import { DirectoryRefusedError } from '../../ports/directory-errors.js';
import type { ProfilePatch } from '../../domain/account.js';
import { accountName, contactAddress, industry, validateForm } from '../../services/validation.js';
import { audit, once, requireAccount, type EffectScope } from './context.js';
import { directoryRefusal } from './directory-refusal.js';

const sections = {
  name: z.object({ accountName }),
  industry: z.object({ industry }),
  address: contactAddress,
} as const;

function patchFor(input: SaveBasicInfoInput, value: unknown): ProfilePatch {
  if (input.section === 'address') return { contactAddress: value as ProfilePatch['contactAddress'] };
  return value as ProfilePatch;
}

/** The refusal beside the form field the directory would not take (the section's first when it does not say). */
function refusedFields(section: SaveBasicInfoInput['section'], error: DirectoryRefusedError): FieldErrors {
  if (section !== 'address')
    return {
      [section === 'name' ? 'accountName' : 'industry']: directoryRefusal(
        error,
        section === 'name' ? 'accountName' : 'industry',
      ),
    };
  const part = error.fields
    .find((field) => field.startsWith('contactAddress.'))
    ?.slice('contactAddress.'.length);
  return { [part ?? 'fullName']: directoryRefusal(error, 'contactAddress') };
}

/** SPEC 3.2: validates one section (errors are catalog sentences per field) and saves it. */
export function saveBasicInfo(ctx: EffectScope, input: SaveBasicInfoInput): Promise<SaveBasicInfoOutput> {
  return once(ctx, input.step, async () => {
    const checked = validateForm(sections[input.section], input.values);
    if (!checked.ok) return { outcome: 'invalid', fieldErrors: checked.errors };
    const account = await requireAccount(ctx);
    try {
      await ctx.deps.directory.update(account.accountId, patchFor(input, checked.value));
    } catch (error) {
      if (!(error instanceof DirectoryRefusedError)) throw error;
      await audit(ctx, {
        accountId: account.accountId,
        action: 'account.basicInfo',
        outcome: 'refused',
        detail: { section: input.section, reason: `directory-${error.reason}` },
      });
      return { outcome: 'invalid', fieldErrors: refusedFields(input.section, error) };
    }
    await audit(ctx, {
      accountId: account.accountId,
      action: `account.basicInfo`,
      outcome: 'success',
      detail: { section: input.section },
    });
    return { outcome: 'saved' };
  });
}
