import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';
import { support } from '../../messages/support.js';
import type { AuditEvent, AuditLog, StoredAuditEvent } from '../../ports/audit-log.js';
import { escapeMrkdwn } from '../views/blocks.js';

/**
 * The audit line posted to the audit channel: who, what, outcome and account. The detail
 * map is left out on purpose; the audit log already refuses secrets, and the channel needs
 * no more than the log's headline to notice something.
 */
export function auditLine(event: AuditEvent): string {
  return support.audit.line(
    escapeMrkdwn(event.actor),
    escapeMrkdwn(event.action),
    escapeMrkdwn(event.outcome),
    event.accountId === undefined ? undefined : escapeMrkdwn(event.accountId),
  );
}

/**
 * An audit log that also posts each event to the optional audit channel (SPEC §5). The log
 * is the record: it is written first, and a failed post is logged, never fatal.
 */
export function mirroredAudit(
  audit: AuditLog,
  client: webApi.WebClient,
  channelId: string | null,
  logger: Logger,
): AuditLog {
  if (channelId === null) return audit;
  return {
    async record(event: AuditEvent): Promise<void> {
      await audit.record(event);
      try {
        await client.chat.postMessage({ channel: channelId, text: auditLine(event) });
      } catch (error) {
        logger.warn(
          { action: event.action, err: error instanceof Error ? error.message : 'unknown' },
          'audit event not mirrored to the audit channel',
        );
      }
    },
    forAccount(accountId: string, limit: number): Promise<StoredAuditEvent[]> {
      return audit.forAccount(accountId, limit);
    },
    recent(limit: number): Promise<StoredAuditEvent[]> {
      return audit.recent(limit);
    },
  };
}
