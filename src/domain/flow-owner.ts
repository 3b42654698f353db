/**
 * Who a flow belongs to, and who an audit event names as its actor: `slack:<team>:<user>`
 * for a Slack user, `acct:<accountId>` for flows continued on web pages (reset and
 * change-password pages). Built and read only here.
 */
export type FlowOwner = string;

export interface SlackUserRef {
  teamId: string;
  userId: string;
}

export type ParsedOwner = ({ kind: 'slack' } & SlackUserRef) | { kind: 'account'; accountId: string };

const SLACK_OWNER = /^slack:([A-Z0-9]+):([A-Z0-9]+)$/;
const ACCOUNT_OWNER = /^acct:([1-9]\d{0,15})$/;

export function slackOwner(user: SlackUserRef): FlowOwner {
  return `slack:${user.teamId}:${user.userId}`;
}

export function accountOwner(accountId: string): FlowOwner {
  return `acct:${accountId}`;
}

/**
 * What an owner names. Anything not built from well-formed ids is null, so an id smuggled
 * in with a colon never reads back as somebody else.
 */
export function parseOwner(owner: string): ParsedOwner | null {
  const slack = SLACK_OWNER.exec(owner);
  if (slack?.[1] && slack[2]) return { kind: 'slack', teamId: slack[1], userId: slack[2] };
  const account = ACCOUNT_OWNER.exec(owner);
  if (account?.[1]) return { kind: 'account', accountId: account[1] };
  return null;
}

/** The Slack user an owner names; null for web owners and anything malformed. */
export function slackUserOf(owner: string): SlackUserRef | null {
  const parsed = parseOwner(owner);
  return parsed?.kind === 'slack' ? { teamId: parsed.teamId, userId: parsed.userId } : null;
}
