import { randomBytes } from 'node:crypto';
import type {
  CommitNewPasswordInput,
  CommitNewPasswordOutput,
  MintPasswordLinkInput,
  MintPasswordLinkOutput,
  RequestResetLinkInput,
  StageNewPasswordInput,
  StageNewPasswordOutput,
} from '../../../machines/index.js';
import { errorKind } from '../../core/errors.js';
import { PayloadSealer } from '../../services/notifications/payload-seal.js';
import type { PasswordChangeResult } from '../../services/passwords.js';
import {
  audit,
  flowTag,
  once,
  oncePerEntry,
  requireAccount,
  resultTtlMs,
  type EffectDependencies,
  type EffectScope,
} from './context.js';
import { accountOwner, slackOwner, slackUserOf } from '../../domain/flow-owner.js';

const STAGED = 'staged-password';
const HOUR_MS = 60 * 60 * 1000;

/** Where a change-password link's page reports back: the flow that minted it. */
export const linkOwnerName = 'password-link-owner';

/**
 * SPEC 3.8: mints the change-password page link bound to this flow. The raw token goes to
 * the in-memory hand-off for the adapter's message; the machine keeps only a handle.
 */
export function mintPasswordLink(
  ctx: EffectScope,
  input: MintPasswordLinkInput,
): Promise<MintPasswordLinkOutput> {
  return once(ctx, input.step, async () => {
    const { deps, binding } = ctx;
    const account = await requireAccount(ctx);
    const token = await deps.linkTokens.mint({
      accountId: account.accountId,
      kind: 'password-change',
      credentialVersion: account.credentialVersion,
      flowId: binding.flowId,
    });
    const expiresAt = deps.clock.now() + deps.config.links.passwordChangeTtlMs;
    deps.passwordLinks.put(binding.owner, binding.flowId, token, expiresAt);
    await deps.scratch.put(
      flowTag(binding.flowId),
      linkOwnerName,
      binding.owner,
      deps.config.links.passwordChangeTtlMs + resultTtlMs(deps),
    );
    await audit(ctx, {
      accountId: account.accountId,
      action: 'link.minted',
      outcome: 'success',
      detail: { kind: 'password-change' },
    });
    return { linkId: randomBytes(8).toString('hex'), expiresAt };
  });
}

/**
 * SPEC 3.9: the reset email, when an account has this login email and has not had too many
 * this hour. The caller answers the same whether or not anything was sent.
 */
export async function sendResetLink(
  deps: EffectDependencies,
  loginEmail: string,
  actor: string,
  eventId: string,
): Promise<void> {
  const account = await deps.directory.getByLoginEmail(loginEmail.trim());
  if (account === null || account.loginEmail === null) {
    await deps.audit.record({
      actor,
      action: 'password.reset-request',
      outcome: 'info',
      detail: { account: 'none' },
    });
    return;
  }
  const refuse = (reason: string) =>
    deps.audit.record({
      actor,
      accountId: account.accountId,
      action: 'password.reset-request',
      outcome: 'refused',
      detail: { reason },
    });
  // A locked account gets no link; the person sees the same answer (security.md) and support unlocks.
  if (account.selfServiceLocked) return refuse('self-service-locked');
  const allowed = await deps.rateLimiter.hit(
    { tag: accountOwner(account.accountId), name: 'reset-email' },
    { limit: deps.config.links.resetEmailsPerHour, windowMs: HOUR_MS, mode: 'fixed' },
  );
  if (!allowed.allowed) return refuse('rate-limit');
  const token = await deps.linkTokens.mint({
    accountId: account.accountId,
    kind: 'reset',
    credentialVersion: account.credentialVersion,
  });
  await deps.delivery.email({
    id: `${eventId}:reset-link`,
    to: account.loginEmail,
    accountId: account.accountId,
    template: {
      kind: 'password-reset-link',
      link: `${deps.config.web.publicBaseUrl}/reset/${token}`,
      validForMs: deps.config.links.resetTtlMs,
      name: account.accountName,
    },
  });
  await deps.audit.record({
    actor,
    accountId: account.accountId,
    action: 'password.reset-request',
    outcome: 'success',
  });
}

/**
 * Starts `sendResetLink` without waiting for it, so the caller's answer does the same work
 * and takes the same time whether or not an account has this email (security.md); a
 * failure is logged, and the person sees the same answer either way.
 */
export function sendResetLinkAfterAnswer(
  deps: EffectDependencies,
  loginEmail: string,
  actor: string,
  eventId: string,
): void {
  void sendResetLink(deps, loginEmail, actor, eventId).catch((error: unknown) => {
    deps.logger.error({ err: errorKind(error) }, 'reset request failed');
  });
}

/**
 * The Slack half of SPEC 3.9. A Slack user's requests are limited whichever accounts they
 * name, before any lookup (so the check takes the same time for every address): otherwise
 * one member could send every account its hourly reset mails. Past the limit the answer
 * stays the same and no mail goes out.
 */
export async function requestResetLink(ctx: EffectScope, input: RequestResetLinkInput): Promise<void> {
  await once(ctx, input.step, async () => {
    const { deps, binding } = ctx;
    const requester = slackUserOf(binding.owner);
    if (requester !== null) {
      const allowed = await deps.rateLimiter.hit(
        { tag: slackOwner(requester), name: 'reset-request' },
        { limit: deps.config.links.slackResetRequestsPerHour, windowMs: HOUR_MS, mode: 'sliding' },
      );
      if (!allowed.allowed) {
        await deps.audit.record({
          actor: binding.owner,
          action: 'password.reset-request',
          outcome: 'refused',
          detail: { reason: 'requester-limit' },
        });
        return;
      }
    }
    sendResetLinkAfterAnswer(deps, input.loginEmail, binding.owner, binding.flowId);
  });
}

/**
 * Checks the policy and stages the hash for this flow. Runs from a `holdsSecret` state only,
 * so it is never re-run after a restore; the password itself is never stored.
 */
export function stageNewPassword(
  ctx: EffectScope,
  input: StageNewPasswordInput,
): Promise<StageNewPasswordOutput> {
  return oncePerEntry(ctx, input.step, input.password, () => stage(ctx, input));
}

async function stage(ctx: EffectScope, input: StageNewPasswordInput): Promise<StageNewPasswordOutput> {
  const { deps, binding } = ctx;
  const account = await requireAccount(ctx);
  const verdict = await deps.passwords.check(account.accountId, input.password);
  if (!verdict.ok) {
    return {
      outcome: 'rejected',
      violations: verdict.reason === 'policy' ? verdict.failures.map((f) => f.error) : [],
    };
  }
  await deps.scratch.put(
    flowTag(binding.flowId),
    STAGED,
    await staged(deps, binding.flowId, input.password),
    resultTtlMs(deps),
  );
  return { outcome: 'staged' };
}

/**
 * What a reset keeps between the new password and the identity check: a bcrypt hash, or,
 * when a directory hashes passwords itself, the password sealed (AES-256-GCM, bound to the
 * flow) — never the password in clear.
 */
async function staged(deps: EffectDependencies, flowId: string, password: string): Promise<string> {
  if (!deps.passwords.managedByDirectory) return deps.credentials.hash(password);
  return stagedSeal(deps).seal(password, flowId);
}

function stagedSeal(deps: EffectDependencies): PayloadSealer {
  return new PayloadSealer(deps.config.notifications.delivery.payloadKey);
}

/**
 * Consumes the reset link (the page passes its token for this interaction only), saves the
 * staged password, revokes every other link and code, and ends the account's other flows.
 * A directory applies its own policy only as it sets the password, so there the link is
 * only checked first: a refusal leaves it valid for the person's next choice, and a saved
 * password revokes it with every other link.
 */
export function commitNewPassword(
  ctx: EffectScope,
  input: CommitNewPasswordInput,
): Promise<CommitNewPasswordOutput> {
  return once(ctx, input.step, async () => {
    const { deps, binding } = ctx;
    const account = await requireAccount(ctx);
    const token = binding.resetToken;
    const byDirectory = deps.passwords.managedByDirectory;
    const verdict = token ? await deps.linkTokens[byDirectory ? 'peek' : 'consume'](token, 'reset') : null;
    if (verdict === null || !verdict.ok || verdict.link.accountId !== account.accountId) {
      await audit(ctx, {
        accountId: account.accountId,
        action: 'password.reset',
        outcome: 'refused',
        detail: { reason: verdict && !verdict.ok ? verdict.reason : 'no-link' },
      });
      return { outcome: 'linkInvalid' };
    }
    const held = await deps.scratch.take(flowTag(binding.flowId), STAGED);
    if (held === null) throw new Error('the staged password is gone');
    let changedAt = deps.clock.now();
    if (byDirectory) {
      const stored = await deps.passwords.store(
        account.accountId,
        stagedSeal(deps).open(held, binding.flowId),
      );
      if (!stored.ok) return refusedByDirectory(ctx, account.accountId, stored);
      changedAt = stored.changedAt ?? changedAt;
    } else {
      await deps.passwords.storeHash(account.accountId, held, changedAt);
    }
    await deps.passwords.revokeAccess(account.accountId);
    await endOtherFlows(deps, account.slackUsers, account.accountId, binding.owner);
    await deps.reminders.schedulePasswordReminder({ accountId: account.accountId, changedAt });
    await audit(ctx, { accountId: account.accountId, action: 'password.reset', outcome: 'success' });
    return { outcome: 'saved' };
  });
}

async function refusedByDirectory(
  ctx: EffectScope,
  accountId: string,
  refusal: Exclude<PasswordChangeResult, { ok: true }>,
): Promise<CommitNewPasswordOutput> {
  if (refusal.reason !== 'policy') throw new Error('the account left the directory during the reset');
  await audit(ctx, {
    accountId,
    action: 'password.reset',
    outcome: 'refused',
    detail: { rules: 'directory' },
  });
  return { outcome: 'refused', violations: refusal.failures.map((failure) => failure.error) };
}

/** A password reset ends whatever else the account had open, in Slack and on the web. */
async function endOtherFlows(
  deps: EffectDependencies,
  slackUsers: readonly { teamId: string; userId: string }[],
  accountId: string,
  exceptOwner: string,
): Promise<void> {
  const owners = [accountOwner(accountId), ...slackUsers.map(slackOwner)];
  for (const owner of owners) {
    if (owner !== exceptOwner) await deps.flows.endAllForOwner(owner);
  }
}
