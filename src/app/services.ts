import type { AppConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { CodeService } from '../services/codes.js';
import { createCredentials, type Credentials } from '../services/credentials/index.js';
import { DocumentCipher } from '../services/documents.js';
import { LinkTokens } from '../services/link-tokens.js';
import { AccountPasswords } from '../services/passwords.js';
import type { Stores } from './stores.js';

export interface Services {
  credentials: Credentials;
  codes: CodeService;
  linkTokens: LinkTokens;
  passwords: AccountPasswords;
  documents: DocumentCipher;
}

/** The account core: the security rules of SPEC §4 on top of the stores. */
export function buildServices(config: AppConfig, stores: Stores, clock: Clock): Services {
  const credentials = createCredentials(config.passwords);
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
    directoryPasswords: stores.ldap?.passwords ?? null,
  });
  return {
    credentials,
    codes,
    linkTokens,
    passwords,
    documents: new DocumentCipher(config.keys.documentKey),
  };
}

/** A version no account has, so links of a deleted account count as revoked. */
const NO_ACCOUNT_VERSION = -1;
