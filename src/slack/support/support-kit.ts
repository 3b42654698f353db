import type { webApi } from '@slack/bolt';
import { TemporarilyUnavailableError } from '../../core/errors.js';
import type { Account } from '../../domain/account.js';
import { support } from '../../messages/support.js';
import type { AuditLog } from '../../ports/audit-log.js';
import { AccountProtection } from '../../services/account-protection.js';
import { SupportService, type SlackPersonRef } from '../../services/support.js';
import type { SlackDependencies } from '../dependencies.js';
import { resetOfferMessage, textMessage, type SlackMessage } from '../views/support.js';
import { mirroredAudit } from './audit-mirror.js';
import { SlackRoster } from './roster.js';
import { accountOwner, slackOwner } from '../../domain/flow-owner.js';

/** The support side of the app, built once per Slack app and shared by its listeners. */
export interface SupportKit {
  deps: SlackDependencies;
  support: SupportService;
  protection: AccountProtection;
  agents: SlackRoster;
  reviewers: SlackRoster;
  /** The audit log, mirrored to the audit channel when one is configured. */
  audit: AuditLog;
}

export function createSupportKit(
  deps: SlackDependencies,
  client: webApi.WebClient,
  reviewers: SlackRoster,
): SupportKit {
  const { slack: config, stores, services, clock, logger } = deps;
  const audit = mirroredAudit(stores.audit, client, config.auditChannelId, logger);
  const agents = new SlackRoster({
    name: 'support',
    userIds: config.supportUserIds,
    usergroupId: config.supportUsergroupId,
    client,
    clock,
    logger,
  });
  // A user id as channel is their DM with the app; Slack opens it if needed.
  const dm = async (userId: string, message: SlackMessage): Promise<void> => {
    await client.chat.postMessage({ channel: userId, ...message });
  };
  const supportService = new SupportService({
    directory: stores.directory,
    directoryPasswords: stores.directoryPasswords,
    codes: services.codes,
    rateLimiter: stores.rateLimiter,
    audit,
    clock,
    isAgent: async (person) => person.teamId === config.teamId && (await agents.includes(person.userId)),
    deliverResetOffer: async (target) => {
      try {
        await dm(target.userId, resetOfferMessage());
        return true;
      } catch (error) {
        logger.warn({ err: errorText(error) }, 'reset offer DM could not be sent');
        return false;
      }
    },
    tellUnlocked: async (target) => {
      await dm(target.userId, textMessage(support.unlock.userNotice)).catch((error: unknown) =>
        logger.warn({ err: errorText(error) }, 'unlock notice DM could not be sent'),
      );
    },
  });
  const protection = new AccountProtection({
    directory: stores.directory,
    passwords: services.passwords,
    audit,
    dedupe: stores.dedupe,
    lockReason: support.notMe.lockReason,
    endOpenFlows: (account) => endOpenFlows(deps, account),
    alertSupport: async ({ reporter, accountId }) => alertSupport(deps, client, reporter, accountId),
  });
  return { deps, support: supportService, protection, agents, reviewers, audit };
}

/**
 * Ends every open flow of the account's owners (its Slack users and its web pages). A
 * submission waiting for review is left with the reviewers: it changes nothing by itself,
 * and its decision must still reach the person.
 */
async function endOpenFlows(deps: SlackDependencies, account: Account): Promise<number> {
  const owners = [...account.slackUsers.map(slackOwner), accountOwner(account.accountId)];
  let ended = 0;
  for (const owner of owners) {
    const open = await deps.engine.active(owner);
    if (open === null) continue;
    if (open.machineId === 'identityVerification') {
      const current = await deps.engine.current(owner, open.flowId);
      if (current.status === 'active' && current.view?.meta.view === 'identityPending') continue;
    }
    const result = await deps.engine.cancel(owner, open.flowId);
    if (result.status === 'unavailable') throw new TemporarilyUnavailableError('end open flows');
    ended += 1;
  }
  return ended;
}

async function alertSupport(
  deps: SlackDependencies,
  client: webApi.WebClient,
  reporter: SlackPersonRef,
  accountId: string,
): Promise<void> {
  const channel = deps.slack.supportChannelId;
  if (channel === null) {
    deps.logger.warn({ accountId }, '"This wasn\'t me" reported and no support channel is configured');
    return;
  }
  try {
    await client.chat.postMessage({
      channel,
      ...textMessage(support.notMe.supportAlert(reporter.userId, accountId)),
    });
  } catch (error) {
    deps.logger.error({ accountId, err: errorText(error) }, 'support channel alert could not be posted');
  }
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return (error as { code?: string }).code ?? error.name;
  return 'unknown';
}
