import type { Account } from '../domain/account.js';
import { slack } from '../messages/slack.js';
import type { StoredAuditEvent } from '../ports/audit-log.js';
import { formatDate, summarizeAccount } from './account-summary.js';
import type { SlackDependencies } from './dependencies.js';
import type { SlackActor } from './flow-ui.js';
import type { HomeModel } from './views/home.js';

const LATEST = 5;

/** What an audit event means to the account's owner, from the catalog. */
function describe(event: StoredAuditEvent): string {
  return slack.home.events[event.action] ?? slack.home.activity;
}

/** `known`: the linked account when the caller read it already for this request. */
export async function loadHomeModel(
  deps: SlackDependencies,
  actor: SlackActor,
  known?: Account,
): Promise<HomeModel> {
  const account = known ?? (await deps.stores.directory.getBySlackUser(actor.teamId, actor.userId));
  if (account === null) return { account: null, latest: [] };
  const recent = await deps.stores.audit.forAccount(account.accountId, LATEST);
  const latest = recent.map((event) => ({ at: formatDate(event.at), text: describe(event) }));
  return { account: summarizeAccount(account), latest };
}
