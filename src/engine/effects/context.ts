import { createHash, createHmac } from 'node:crypto';
import type { AppConfig } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Account } from '../../domain/account.js';
import type { AccountDirectory } from '../../ports/account-directory.js';
import type { AuditEvent, AuditLog } from '../../ports/audit-log.js';
import type { DirectMessenger } from '../../ports/direct-messenger.js';
import type { EngineScratch } from '../../ports/engine-scratch.js';
import type { FlowSessionStore } from '../../ports/flow-session-store.js';
import type { RateLimiter } from '../../ports/rate-limiter.js';
import type { ReviewChannel } from '../../ports/review-channel.js';
import type { CodeService } from '../../services/codes.js';
import type { Credentials } from '../../services/credentials/index.js';
import type { DocumentCipher } from '../../services/documents.js';
import type { DocumentImages } from '../../services/document-images/document-images.js';
import type { LinkTokens } from '../../services/link-tokens.js';
import type { DeliveryService } from '../../services/notifications/delivery.js';
import type { Reminders } from '../../services/notifications/reminders.js';
import type { AccountPasswords } from '../../services/passwords.js';
import type { LinkHandOff } from '../link-hand-off.js';

/** Everything the effects use; built once by the composition root. */
export interface EffectDependencies {
  config: AppConfig;
  clock: Clock;
  logger: Logger;
  directory: AccountDirectory;
  audit: AuditLog;
  scratch: EngineScratch;
  flows: FlowSessionStore;
  rateLimiter: RateLimiter;
  codes: CodeService;
  linkTokens: LinkTokens;
  passwords: AccountPasswords;
  credentials: Credentials;
  documents: DocumentCipher;
  documentImages: DocumentImages;
  delivery: DeliveryService;
  reminders: Reminders;
  messenger: DirectMessenger;
  /** Filed submissions are posted here for reviewers; overdue ones are reminded here. */
  reviewChannel: ReviewChannel;
  /** The engine re-checks what the Slack layer already checked: only reviewers decide. */
  isReviewer(userId: string): boolean | Promise<boolean>;
  /** Raw page-link tokens on their way to the adapter, held in memory only. */
  passwordLinks: LinkHandOff;
}

/**
 * The flow an effect works for. Machines never carry account ids or secrets in their
 * inputs; the engine binds them here. `resetToken` is present only while the reset page
 * that holds it is calling (never persisted).
 */
export interface FlowBinding {
  owner: string;
  flowId: string;
  accountId: string | null;
  slackProfileEmail: string | null;
  resetToken?: string;
}

/** What the effects of one interaction work with: its dependencies and the flow it acts for. */
export interface Interaction {
  deps: EffectDependencies;
  binding: FlowBinding;
}

/** Effects of a child machine (step-up) are keyed apart from the parent's same-named steps. */
export interface EffectScope extends Interaction {
  scope: string;
}

/** The account the flow acts on; a Slack user not yet linked acts on the profile email's account. */
export async function accountOf(ctx: EffectScope): Promise<Account | null> {
  const { deps, binding } = ctx;
  if (binding.accountId !== null) return deps.directory.getById(binding.accountId);
  if (binding.slackProfileEmail !== null) return deps.directory.getByLoginEmail(binding.slackProfileEmail);
  return null;
}

export async function requireAccount(ctx: EffectScope): Promise<Account> {
  const account = await accountOf(ctx);
  if (account === null) throw new Error('the flow has no account');
  return account;
}

export function audit(ctx: EffectScope, event: Omit<AuditEvent, 'actor' | 'flowId'>): Promise<void> {
  return ctx.deps.audit.record({ actor: ctx.binding.owner, flowId: ctx.binding.flowId, ...event });
}

/** The scratch tag of one flow: its effect results and staged values share a slot. */
export const flowTag = (flowId: string): string => `flow:${flowId}`;

/** How long an effect's result is remembered: as long as the flow can still be touched. */
export function resultTtlMs(deps: EffectDependencies): number {
  return deps.config.flows.idleTimeoutMs + RESULT_GRACE_MS;
}

const RESULT_GRACE_MS = 60 * 60 * 1000;
const LOCK_MS = 30_000;
const WAIT_STEP_MS = 20;
const WAIT_LIMIT_MS = 5_000;

/**
 * Runs an effect once per flow step. XState re-runs an in-flight invoke when a snapshot
 * is restored, and two processes may restore the same snapshot at once (a double click):
 * the first claims the step and stores its result under the same name, the others wait for
 * that result. One key holds the claim and then the result: a claim never succeeds while
 * either lives, so a parallel duplicate never runs the effect a second time.
 */
export async function once<T>(ctx: EffectScope, step: string, run: () => Promise<T>): Promise<T> {
  const { scratch } = ctx.deps;
  const tag = flowTag(ctx.binding.flowId);
  const name = scratchName('fx', ctx.scope, step);
  const stored = await scratch.get(tag, name);
  if (stored !== null) return parseResult<T>(stored);
  if (await scratch.claim(tag, name, LOCK_MS)) {
    try {
      const result = await run();
      await scratch.put(tag, name, JSON.stringify({ result: result ?? null }), resultTtlMs(ctx.deps));
      return result;
    } catch (error) {
      await scratch.delete(tag, name);
      throw error;
    }
  }
  for (let waited = 0; waited < WAIT_LIMIT_MS; waited += WAIT_STEP_MS) {
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    const late = await scratch.get(tag, name);
    if (late !== null) return parseResult<T>(late);
  }
  throw new Error(`step ${step} is still running elsewhere`);
}

/**
 * A flow's scratch name for what one step of one (child) machine keeps, the scope and step
 * as a short digest: every byte of a key's name is kept while the flow lives, and a child's
 * scope and step ran to 85 characters.
 */
export function scratchName(kind: string, scope: string, step: string): string {
  return `${kind}:${createHash('sha256')
    .update(JSON.stringify([scope, step]))
    .digest('base64url')
    .slice(0, 16)}`;
}

/**
 * `once` for a step whose input holds what the person typed (a code, a password, a
 * document number): keyed by the step and a keyed hash of that text, so two identical
 * submissions racing each other share one result and a different entry is a new try.
 */
export function oncePerEntry<T>(
  ctx: EffectScope,
  step: string,
  entry: string,
  run: () => Promise<T>,
): Promise<T> {
  const digest = createHmac('sha256', ctx.deps.config.keys.codeHmacKey)
    .update(JSON.stringify([ctx.binding.flowId, ctx.scope, step, entry]))
    .digest('base64url')
    .slice(0, 32);
  return once(ctx, `${step}:${digest}`, run);
}

function parseResult<T>(stored: string): T {
  const parsed: unknown = JSON.parse(stored);
  if (typeof parsed !== 'object' || parsed === null || !('result' in parsed)) {
    throw new Error('stored effect result is unreadable');
  }
  return (parsed as { result: T }).result;
}
