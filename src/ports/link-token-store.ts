/**
 * Storage for single-use links (password reset, password change). The store never sees a
 * token: callers hand it SHA-256 digests (see src/services/link-tokens.ts). It keeps each
 * token's record, marks a token used exactly once, and keeps per account which token of
 * each kind is the newest and up to which serial every token has been revoked. Judging a
 * token (expired, superseded, revoked) is the service's job, with its clock.
 */

export const LINK_KINDS = ['reset', 'password-change'] as const;

export type LinkKind = (typeof LINK_KINDS)[number];

/**
 * How long a token's record outlives its expiry, so a late click can still be told
 * "expired" (and audited as such) rather than "unknown". Only the digest is kept.
 */
export const LINK_RECORD_GRACE_MS = 24 * 60 * 60 * 1000;

export interface NewLinkToken {
  accountId: string;
  kind: LinkKind;
  /** The account's credential version when the link was issued; any password change bumps it. */
  credentialVersion: number;
  /** The flow that passed step-up (password change); null for reset links from /forgot. */
  flowId: string | null;
  expiresAt: number;
}

export interface LinkTokenRecord extends NewLinkToken {
  /** Issue order within the account; `revokeAll` revokes every serial up to the latest. */
  serial: number;
  /** The store's generation when the token was saved (see LinkTokenStore.generation). */
  generation: string;
}

export type LinkTokenLookup = { status: 'unknown' } | { status: 'live' | 'used'; record: LinkTokenRecord };

/** What the account says about its links right now. */
export interface AccountLinkStanding {
  /** Digest of the newest token per kind; older tokens of that kind are superseded. */
  newest: Partial<Record<LinkKind, string>>;
  /** Every token with a serial up to this one is revoked; 0 when nothing was revoked. */
  revokedThrough: number;
}

export interface LinkTokenStore {
  /**
   * Records the token under its digest and makes it the account's newest of its kind.
   * Kept until `expiresAt` plus LINK_RECORD_GRACE_MS.
   */
  save(tokenDigest: string, token: NewLinkToken): Promise<LinkTokenRecord>;
  /** Reads without changing anything (GET and HEAD of a link). */
  find(tokenDigest: string): Promise<LinkTokenLookup>;
  /**
   * Marks the token used, atomically: of any number of concurrent claims exactly one sees
   * `live`; the others see `used`. A token that does not exist stays `unknown`.
   */
  claim(tokenDigest: string): Promise<LinkTokenLookup>;
  standing(accountId: string): Promise<AccountLinkStanding>;
  /** Revokes every token the account has been issued so far, of every kind. */
  revokeAll(accountId: string): Promise<void>;
  /**
   * Names the life of the data behind the store, from something the data cannot roll back.
   * It changes whenever the store may have come back from an older copy (for Redis: a
   * restart, a restored snapshot or a failover give a new server run id), and a token saved
   * under another generation is refused: a restore must not revive a link already used.
   */
  generation(): Promise<string>;
}

/** Account ids end up in Redis key names; a brace would move the key to another slot. */
export function assertValidAccountId(accountId: string): void {
  if (!/^[^\s{}]{1,128}$/.test(accountId)) {
    throw new RangeError('account id must be 1 to 128 characters without spaces or braces');
  }
}

export function assertValidDigest(tokenDigest: string): void {
  if (!/^[0-9a-f]{64}$/.test(tokenDigest)) {
    throw new RangeError('token digest must be a lowercase hex SHA-256');
  }
}
