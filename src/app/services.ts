import type { AppConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { CodeService } from '../services/codes.js';
import { createCredentials, type BcryptRunner, type Credentials } from '../services/credentials/index.js';
import { DocumentCipher } from '../services/documents.js';
import { DocumentImages } from '../services/document-images/document-images.js';
import { DocumentImageCipher } from '../services/document-images/image-cipher.js';
import { DocumentViewTickets } from '../services/document-images/view-tickets.js';
import { createLogger, type Logger } from '../core/logger.js';
import { LinkTokens } from '../services/link-tokens.js';
import { AccountPasswords } from '../services/passwords.js';
import type { Stores } from './stores.js';

export interface Services {
  credentials: Credentials;
  codes: CodeService;
  linkTokens: LinkTokens;
  passwords: AccountPasswords;
  documents: DocumentCipher;
  documentImages: DocumentImages;
  /** One-time links to document images, shared by the Slack reviewers' modal and the web route. */
  documentViews: DocumentViewTickets;
}

/**
 * The account core: the security rules of SPEC §4 on top of the stores. `bcrypt` is where
 * hashing runs: the application passes its worker pool; without one it runs in-process.
 */
export function buildServices(
  config: AppConfig,
  stores: Stores,
  clock: Clock,
  logger: Logger = createLogger('silent'),
  bcrypt?: BcryptRunner,
): Services {
  const credentials = createCredentials(config.passwords, bcrypt);
  const codes = new CodeService(stores.codes, config.keys.codeHmacKey);
  const linkTokens = new LinkTokens({
    store: stores.linkTokens,
    clock,
    lifetimes: config.links,
    currentCredentialVersion: async (accountId) =>
      (await stores.directory.getById(accountId))?.credentialVersion ?? NO_ACCOUNT_VERSION,
  });
  const passwords = new AccountPasswords({
    directory: stores.directory,
    credentials,
    linkTokens,
    codes,
    rateLimiter: stores.rateLimiter,
    audit: stores.audit,
    clock,
    rules: config.passwords,
    directoryPasswords: stores.directoryPasswords,
  });
  return {
    credentials,
    codes,
    linkTokens,
    passwords,
    documents: new DocumentCipher(config.keys.documentKey),
    documentImages: new DocumentImages({
      store: stores.documentStore,
      cipher: new DocumentImageCipher(config.keys.documentKey),
      directory: stores.directory,
      audit: stores.audit,
      clock,
      logger,
      retentionMs: config.documents.retentionMs,
    }),
    documentViews: new DocumentViewTickets(stores.scratch, config.web.publicBaseUrl),
  };
}

/** A version no account has, so links of a deleted account count as revoked. */
const NO_ACCOUNT_VERSION = -1;
