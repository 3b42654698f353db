import type { NotifyKind } from '../../machines/index.js';

/** Notices the engine sends on its own, not from a machine step. */
export type EngineNoticeKind = 'codesLocked' | 'passwordCooldown';

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

export interface DirectMessenger {
  send(message: DirectMessage): Promise<void>;
}
