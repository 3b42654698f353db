import type {
  ChangePasswordOnPageInput,
  ChangePasswordOnPageOutput,
  FieldError,
} from '../../../machines/index.js';
import { errorKind, TemporarilyUnavailableError } from '../../core/errors.js';
import type { PasswordChangeResult } from '../../services/passwords.js';
import { flowTag, requireAccount, type EffectDependencies, type EffectScope } from './context.js';
import { alarmOwner } from './owner-alarm.js';

const SAVING = 'password-saving';
/** Longer than a bcrypt hash and a save take; a crashed save frees the link after it. */
const SAVING_HOLD_MS = 30_000;

/**
 * SPEC 3.8, the page's form: the current password first (wrong ones count toward the
 * cooldown, whose start alarms the owner), then the confirmation and the policy, then the
 * save. A store that does not answer saves nothing and says so; the page stays usable.
 */
export async function changePasswordOnPage(
  ctx: EffectScope,
  input: ChangePasswordOnPageInput,
): Promise<ChangePasswordOnPageOutput> {
  try {
    return await change(ctx, input);
  } catch (error) {
    if (error instanceof TemporarilyUnavailableError) return { outcome: 'unavailable' };
    throw error;
  }
}

async function change(
  ctx: EffectScope,
  input: ChangePasswordOnPageInput,
): Promise<ChangePasswordOnPageOutput> {
  const { deps, binding } = ctx;
  const account = await requireAccount(ctx);
  const { accountId } = account;
  // The person acts on the web page, on the account: audited as such, not as the Slack user.
  const actor = `web:acct:${accountId}`;
  const refused = (errors: FieldError[]): ChangePasswordOnPageOutput => ({ outcome: 'refused', errors });
  const check = await deps.passwords.verifyCurrent(accountId, input.current, actor);
  if (!check.ok && check.reason === 'cooling-down') {
    if (check.started) {
      await alarmOwner(deps, account, {
        notice: 'passwordCooldown',
        mail: 'password-cooldown',
        until: check.retryAt,
        flowId: binding.flowId,
        actor,
      });
    }
    return { outcome: 'cooledDown', retryAt: check.retryAt };
  }
  if (!check.ok && check.reason === 'directory-locked') return refused([{ key: 'password.directoryLocked' }]);
  if (!check.ok)
    return refused([{ key: 'password.wrongCurrent', params: { attemptsLeft: check.attemptsLeft } }]);
  if (input.password !== input.confirmation) return refused([{ key: 'password.confirmationDiffers' }]);
  const policy = await deps.passwords.check(accountId, input.password);
  if (!policy.ok) return refused(policy.reason === 'policy' ? policy.failures.map((f) => f.error) : []);
  // Saving is what uses the link up: the new password bumps the credential version the link
  // is bound to. Until then one save at a time holds the link, and gives it back when the
  // save fails (an outage), so the person can try again on the same page.
  if (!(await deps.scratch.claim(flowTag(binding.flowId), SAVING, SAVING_HOLD_MS)))
    return { outcome: 'held' };
  let changed: PasswordChangeResult | null = null;
  try {
    changed = await deps.passwords.change(accountId, input.password, actor, input.current);
  } finally {
    if (!changed?.ok) await giveBack(deps, binding.flowId);
  }
  if (changed === null || !changed.ok)
    return refused(changed.reason === 'policy' ? changed.failures.map((f) => f.error) : []);
  await deps.reminders.schedulePasswordReminder({
    accountId,
    changedAt: changed.changedAt ?? deps.clock.now(),
  });
  return { outcome: 'changed' };
}

/** Frees the link for another try; when the store refuses that too, the hold lapses by itself. */
async function giveBack(deps: EffectDependencies, flowId: string): Promise<void> {
  await deps.scratch.delete(flowTag(flowId), SAVING).catch((error: unknown) => {
    deps.logger.warn(
      { err: errorKind(error), holdMs: SAVING_HOLD_MS },
      'password page link could not be given back after a failed save; it frees itself when the hold lapses',
    );
  });
}
