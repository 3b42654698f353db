import type { AppConfig, SlackConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { FlowEngine } from '../engine/flow-engine.js';
import type { AccountDirectory } from '../ports/account-directory.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Dedupe } from '../ports/dedupe.js';
import type { DirectoryPasswords } from '../ports/directory-passwords.js';
import type { FlowMessages } from '../ports/flow-messages.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { CodeService } from '../services/codes.js';
import type { DocumentImages } from '../services/document-images/document-images.js';
import type { DocumentViewTickets } from '../services/document-images/view-tickets.js';
import type { DocumentCipher } from '../services/documents.js';
import type { AccountPasswords } from '../services/passwords.js';

/** The stores Slack code may use: ports only, never a connection (src/app/ picks them). */
export interface SlackStores {
  directory: AccountDirectory;
  /** Passwords the directory keeps (DIRECTORY=ldap): support's unlock clears its lockout. */
  directoryPasswords: DirectoryPasswords | null;
  audit: AuditLog;
  dedupe: Dedupe;
  rateLimiter: RateLimiter;
  /** Where each flow's Slack DM message is. */
  flowMessages: FlowMessages;
}

/** The account services Slack code calls. */
interface SlackServices {
  codes: CodeService;
  passwords: AccountPasswords;
  documents: DocumentCipher;
  documentImages: DocumentImages;
  /** One-time links to document images for the reviewers' modal. */
  documentViews: DocumentViewTickets;
}

/**
 * Everything a Slack listener may use. Listeners translate Slack payloads into engine calls
 * and view-models into Block Kit; the rules live behind these objects, never in a listener.
 */
export interface SlackDependencies {
  engine: FlowEngine;
  stores: SlackStores;
  services: SlackServices;
  config: AppConfig;
  /** `config.slack`, narrowed: the Slack app only exists when it is configured. */
  slack: SlackConfig;
  clock: Clock;
  logger: Logger;
}
