import type { AuditEvent, AuditLog } from '../ports/audit-log.js';
import type { Metrics } from './metrics.js';

/**
 * Counts from the audit trail: flows starting and finishing, codes sent and deliveries
 * that failed for good are already audit events, so the counters follow the events
 * instead of the engine and each sender learning about metrics. Counted only once the
 * event is recorded.
 */
export function meteredAuditLog(inner: AuditLog, metrics: Metrics): AuditLog {
  return {
    async record(event: AuditEvent) {
      await inner.record(event);
      count(event, metrics);
    },
    recent: (limit) => inner.recent(limit),
    forAccount: (accountId, limit) => inner.forAccount(accountId, limit),
  };
}

function count(event: AuditEvent, metrics: Metrics): void {
  const channel = event.detail?.channel ?? 'unknown';
  const machine = event.detail?.machine ?? 'unknown';
  switch (event.action) {
    case 'flow.started':
      metrics.flowsStarted.inc({ machine });
      break;
    case 'flow.finished':
      if (event.detail?.status === 'done') metrics.flowsCompleted.inc({ machine });
      if (event.detail?.status === 'failed') metrics.flowsFailed.inc({ machine });
      break;
    case 'flow.ended':
      metrics.flowsFailed.inc({ machine });
      break;
    case 'code.sent':
      if (event.outcome === 'success') metrics.codesSent.inc({ channel });
      break;
    case 'delivery.failed':
      metrics.deliveriesFailed.inc({ channel });
      break;
  }
}
