import { createHash, randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type {
  AccountLinkStanding,
  LinkKind,
  LinkTokenLookup,
  LinkTokenRecord,
  LinkTokenStore,
} from '../ports/link-token-store.js';

export type { LinkKind } from '../ports/link-token-store.js';

/** Why a link did not work. Pages show one "invalid or expired" text; the audit log gets this. */
type LinkRefusal = 'unknown' | 'expired' | 'superseded' | 'revoked' | 'used';

export interface ValidLink {
  accountId: string;
  kind: LinkKind;
  flowId: string | null;
  credentialVersion: number;
  expiresAt: number;
}

export type LinkVerdict =
  | { ok: true; link: ValidLink }
  /** `accountId` and `flowId` are there whenever the token was found, for the audit entry. */
  | { ok: false; reason: LinkRefusal; accountId?: string; flowId?: string | null };

export interface MintRequest {
  accountId: string;
  kind: LinkKind;
  credentialVersion: number;
  /** Required for 'password-change': the link is bound to the flow that passed step-up. */
  flowId?: string;
}

export interface LinkTokensDependencies {
  store: LinkTokenStore;
  clock: Clock;
  lifetimes: Pick<AppConfig['links'], 'resetTtlMs' | 'passwordChangeTtlMs'>;
  /** The account's credential version now (bumped by every password change). */
  currentCredentialVersion(accountId: string): Promise<number>;
}

/** 32 bytes in base64url without padding. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function digestLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Single-use links for password reset and password change. The raw token goes into the
 * link and nowhere else; the store keeps its SHA-256. A link works only while it exists,
 * has not expired, is the account's newest of its kind, has not been revoked, was
 * issued under the account's current credential version and in the store's current
 * generation (a restored Redis snapshot must not bring a used link back).
 */
export class LinkTokens {
  constructor(private readonly deps: LinkTokensDependencies) {}

  /** Issues a link token (revoking the account's previous one of that kind) and returns it raw. */
  async mint(request: MintRequest): Promise<string> {
    if (request.kind === 'password-change' && !request.flowId) {
      throw new RangeError('a password-change link must be bound to a flow');
    }
    if (!Number.isSafeInteger(request.credentialVersion)) {
      throw new RangeError('credential version must be a whole number');
    }
    const token = randomBytes(32).toString('base64url');
    await this.deps.store.save(digestLinkToken(token), {
      accountId: request.accountId,
      kind: request.kind,
      credentialVersion: request.credentialVersion,
      flowId: request.flowId ?? null,
      expiresAt: this.deps.clock.now() + this.lifetime(request.kind),
    });
    return token;
  }

  /**
   * Judges the token without using it up: GET and HEAD of a link page (mail scanners open
   * every link). `expect` refuses a token of another kind as 'unknown'.
   */
  async peek(token: string, expect?: LinkKind): Promise<LinkVerdict> {
    if (!TOKEN_SHAPE.test(token)) return { ok: false, reason: 'unknown' };
    const digest = digestLinkToken(token);
    return this.judge(digest, await this.deps.store.find(digest), expect);
  }

  /**
   * Uses the token up (the POST that changes the password). Of concurrent consumers of
   * one token at most one gets `ok`. The token is judged before it is claimed, so a bad
   * link is refused with its real reason and left as it was, and again after, so that a
   * newer link or a revocation that raced the claim still wins.
   */
  async consume(token: string, expect?: LinkKind): Promise<LinkVerdict> {
    const before = await this.peek(token, expect);
    if (!before.ok) return before;
    const digest = digestLinkToken(token);
    return this.judge(digest, await this.deps.store.claim(digest), expect);
  }

  /** Kills every link of the account: any password change, "This wasn't me". */
  revokeAll(accountId: string): Promise<void> {
    return this.deps.store.revokeAll(accountId);
  }

  private async judge(digest: string, lookup: LinkTokenLookup, expect?: LinkKind): Promise<LinkVerdict> {
    if (lookup.status === 'unknown') return { ok: false, reason: 'unknown' };
    const { record } = lookup;
    if (expect !== undefined && record.kind !== expect) return { ok: false, reason: 'unknown' };
    const refused = (reason: LinkRefusal): LinkVerdict => ({
      ok: false,
      reason,
      accountId: record.accountId,
      flowId: record.flowId,
    });
    if (lookup.status === 'used') return refused('used');
    if (this.deps.clock.now() >= record.expiresAt) return refused('expired');
    const [standing, currentVersion, generation] = await Promise.all([
      this.deps.store.standing(record.accountId),
      this.deps.currentCredentialVersion(record.accountId),
      this.deps.store.generation(),
    ]);
    const reason =
      record.generation === generation
        ? standingRefusal(digest, record, standing, currentVersion)
        : 'revoked';
    if (reason) return refused(reason);
    return {
      ok: true,
      link: {
        accountId: record.accountId,
        kind: record.kind,
        flowId: record.flowId,
        credentialVersion: record.credentialVersion,
        expiresAt: record.expiresAt,
      },
    };
  }

  private lifetime(kind: LinkKind): number {
    return kind === 'reset' ? this.deps.lifetimes.resetTtlMs : this.deps.lifetimes.passwordChangeTtlMs;
  }
}

function standingRefusal(
  digest: string,
  record: LinkTokenRecord,
  standing: AccountLinkStanding,
  currentVersion: number,
): LinkRefusal | null {
  if (record.serial <= standing.revokedThrough) return 'revoked';
  if (record.credentialVersion !== currentVersion) return 'revoked';
  if (standing.newest[record.kind] !== digest) return 'superseded';
  return null;
}
