import type { FindAccountInput, FindAccountOutput, LinkAccountInput } from '../../../machines/index.js';
import { slackUserOf } from '../../domain/flow-owner.js';
import { audit, once, type EffectScope } from './context.js';

function slackUser(ctx: EffectScope) {
  const user = slackUserOf(ctx.binding.owner);
  if (user === null) throw new Error('only a Slack user can be linked');
  return user;
}

/** SPEC 3.11: the account whose login email is the Slack profile email of the flow's user. */
export async function findAccount(ctx: EffectScope, input: FindAccountInput): Promise<FindAccountOutput> {
  return once(ctx, input.step, async () => {
    const user = slackUser(ctx);
    const email = ctx.binding.slackProfileEmail;
    const account = email ? await ctx.deps.directory.getByLoginEmail(email) : null;
    if (account === null) {
      await audit(ctx, { action: 'slack.link', outcome: 'refused', detail: { reason: 'no-match' } });
      return { outcome: 'noMatch' };
    }
    const linked = account.slackUsers.some((ref) => ref.teamId === user.teamId && ref.userId === user.userId);
    return { outcome: linked ? 'alreadyLinked' : 'found' };
  });
}

export async function linkAccount(ctx: EffectScope, input: LinkAccountInput): Promise<void> {
  await once(ctx, input.step, async () => {
    const user = slackUser(ctx);
    const email = ctx.binding.slackProfileEmail;
    const account = email ? await ctx.deps.directory.getByLoginEmail(email) : null;
    if (account === null) throw new Error('the account is gone');
    const result = await ctx.deps.directory.linkSlackUser(account.accountId, user.teamId, user.userId);
    if (result === 'linked-elsewhere') throw new Error('this Slack user is linked to another account');
    await audit(ctx, { accountId: account.accountId, action: 'slack.link', outcome: 'success' });
  });
}
