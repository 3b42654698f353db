import type {
  CheckValueInput,
  CheckValueOutput,
  SaveChangeInput,
  SaveChangeOutput,
} from '../../../machines/index.js';
import type { ProfilePatch } from '../../domain/account.js';
import { emailAddress, mobileNumber, validateForm } from '../../services/validation.js';
import { DirectoryRefusedError } from '../../ports/directory-errors.js';
import { addressOf } from './codes.js';
import { directoryRefusal } from './directory-refusal.js';
import { audit, flowTag, once, requireAccount, resultTtlMs, type EffectScope } from './context.js';

const isPhoneField = (field: CheckValueInput['field']): boolean =>
  field === 'contactMobile' || field === 'securityMobile';

/**
 * Normalises the new address. A login email that belongs to another account answers
 * `taken: true`; the machine keeps that to itself until the code step.
 */
export async function checkValue(ctx: EffectScope, input: CheckValueInput): Promise<CheckValueOutput> {
  const schema = isPhoneField(input.field) ? mobileNumber : emailAddress;
  const checked = validateForm(schema, input.value);
  if (!checked.ok)
    return { outcome: 'invalid', error: Object.values(checked.errors)[0] ?? { key: 'invalid' } };
  const value = String(checked.value);
  const account = await requireAccount(ctx);
  if (addressOf(account, input.field) === value) {
    return { outcome: 'invalid', error: { key: 'address.same' } };
  }
  let taken = false;
  if (input.field === 'loginEmail') {
    const owner = await ctx.deps.directory.getByLoginEmail(value);
    taken = owner !== null && owner.accountId !== account.accountId;
  }
  return { outcome: 'ok', value, taken };
}

function patchFor(input: SaveChangeInput): ProfilePatch {
  switch (input.field) {
    case 'contactMobile':
      return { contactNumber: input.value };
    case 'securityMobile':
      return { securityMobile: input.value };
    case 'contactEmail':
      return { contactEmail: input.value, contactEmailVerified: input.verified };
    case 'verificationEmail':
      return { verificationEmail: input.value };
    case 'loginEmail':
      throw new Error('the login email has its own path');
  }
}

/** The address a field had before this flow changed it, for the notice to the old address. */
export const previousName = (field: SaveChangeInput['field']): string => `previous:${field}`;

/** Writes the confirmed address once per step and keeps the old one for the notice. */
export function saveChange(ctx: EffectScope, input: SaveChangeInput): Promise<SaveChangeOutput> {
  return once(ctx, input.step, async () => {
    const { deps, binding } = ctx;
    const account = await requireAccount(ctx);
    const previous = addressOf(account, input.field);
    if (previous !== null) {
      await deps.scratch.put(flowTag(binding.flowId), previousName(input.field), previous, resultTtlMs(deps));
    }
    try {
      if (input.field === 'loginEmail') {
        const changed = await deps.directory.changeLoginEmail(account.accountId, input.value);
        if (changed.outcome === 'taken') {
          await audit(ctx, {
            accountId: account.accountId,
            action: 'account.loginEmail',
            outcome: 'refused',
            detail: { reason: 'taken' },
          });
          return { outcome: 'conflict' };
        }
      } else {
        await deps.directory.update(account.accountId, patchFor(input));
      }
    } catch (error) {
      if (!(error instanceof DirectoryRefusedError)) throw error;
      await audit(ctx, {
        accountId: account.accountId,
        action: `account.${input.field}`,
        outcome: 'refused',
        detail: { reason: `directory-${error.reason}` },
      });
      return { outcome: 'refused', error: directoryRefusal(error, input.field) };
    }
    await audit(ctx, {
      accountId: account.accountId,
      action: `account.${input.field}`,
      outcome: 'success',
      detail: { verified: String(input.verified) },
    });
    return { outcome: 'saved' };
  });
}
