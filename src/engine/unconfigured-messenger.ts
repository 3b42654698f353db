import type { Logger } from '../core/logger.js';
import type { DirectMessage, DirectMessenger } from '../ports/direct-messenger.js';

/**
 * What a flow's Slack message turns into when the app runs without Slack: a log line that
 * says no message went out. Email and SMS notices are unaffected.
 */
export class UnconfiguredDirectMessenger implements DirectMessenger {
  constructor(private readonly logger: Logger) {}

  async send(message: DirectMessage): Promise<void> {
    this.logger.info(
      { kind: message.kind, flowId: message.flowId, accountId: message.accountId },
      'Slack is not configured: no direct message sent',
    );
  }
}
