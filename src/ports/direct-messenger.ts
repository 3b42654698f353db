import type { NotifyKind } from '../../machines/index.js';
import type { EngineResult } from '../engine/flow-engine.js';

/** Notices the engine sends on its own, not from a machine step. */
export type EngineNoticeKind = 'codesLocked' | 'passwordCooldown' | 'passwordExpiring';

/**
 * A Slack direct message (or channel post) a flow owes someone: the person whose account
 * changed, the support channel for a Slack user without an account, reviewers for an
 * overdue review. The Slack adapter renders the sentence from the kind; the engine never
 * builds Slack text. Implementations resolve once the message is sent or safely queued.
 */
export interface DirectMessage {
  kind: NotifyKind | EngineNoticeKind;
  /** Who the flow belongs to ('slack:T:U' or 'acct:ID'). */
  owner: string;
  /** The account concerned; null before a Slack user is linked. */
  accountId: string | null;
  flowId: string;
  /** Non-secret facts for the message: a rejection reason, a masked address, a submission id. */
  detail: Readonly<Record<string, string>>;
}

/** How a flow ended, as the engine answered the step that ended it. */
export type FlowOutcome = Omit<Extract<EngineResult, { status: 'finished' }>, 'view'>;

export interface DirectMessenger {
  send(message: DirectMessage): Promise<void>;
  /**
   * Shows how a flow ended on the message its owner follows it in (a Slack flow's DM
   * message), for a flow that ended off Slack, on a web page. Messengers without such
   * messages (no Slack) leave it out.
   */
  showOutcome?(owner: string, outcome: FlowOutcome): Promise<void>;
}
