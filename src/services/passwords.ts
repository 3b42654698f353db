import type { Clock } from '../core/clock.js';
import type { AccountDirectory } from '../ports/account-directory.js';
import type { DirectoryPasswordResult, DirectoryPasswords } from '../ports/directory-passwords.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { RateLimiter, RateLimitRule } from '../ports/rate-limiter.js';
import type { CodeService } from './codes.js';
import { accountContextWords, type Credentials, type PasswordFailure } from './credentials/index.js';
import type { LinkTokens } from './link-tokens.js';
import { accountOwner } from '../domain/flow-owner.js';

interface PasswordRules {
  wrongPasswordLimit: number;
  wrongPasswordCooldownMs: number;
  historySize: number;
}

export interface AccountPasswordsDependencies {
  directory: AccountDirectory;
  credentials: Credentials;
  linkTokens: LinkTokens;
  codes: CodeService;
  rateLimiter: RateLimiter;
  audit: AuditLog;
  clock: Clock;
  rules: PasswordRules;
  /**
   * Set when an LDAP directory keeps the passwords: checks bind as the person, changes go
   * through the directory's password operation, and the product stores no hash at all.
   */
  directoryPasswords?: DirectoryPasswords | null;
}

export type PasswordChangeResult =
  /** `changedAt`: when the saved password took effect, by the clock of whoever keeps it (absent from a check). */
  | { ok: true; credentialVersion: number; changedAt?: number }
  | { ok: false; reason: 'policy'; failures: PasswordFailure[] }
  | { ok: false; reason: 'unknown-account' };

export type CurrentPasswordCheck =
  | { ok: true }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  /** `started`: this try began the cooldown, so the owner is owed a notice (once per cooldown). */
  | { ok: false; reason: 'cooling-down'; retryAt: number; started: boolean }
  /** The directory locked the account after failed sign-ins; only its owner, past step-up, hears this. */
  | { ok: false; reason: 'directory-locked' };

export type Authentication = { ok: true; accountId: string } | { ok: false };

/**
 * The account's password: policy against its own history, login email, name and company, storage,
 * the revocation every change owes (links, codes), the wrong-current-password cooldown
 * and sign-in checks that take the same time whether or not the account exists.
 */
export class AccountPasswords {
  constructor(private readonly deps: AccountPasswordsDependencies) {}

  /** The policy verdict for a candidate, without changing anything (for inline form errors). */
  async check(accountId: string, candidate: string): Promise<PasswordChangeResult> {
    const account = await this.deps.directory.getById(accountId);
    if (!account) return { ok: false, reason: 'unknown-account' };
    const verdict = await this.deps.credentials.checkPassword(candidate, {
      loginEmail: account.loginEmail,
      recentHashes: account.passwordHistory,
      hasSecondFactor: account.securityMobile !== null || account.verificationEmail !== null,
      contextWords: accountContextWords(account),
    });
    if (!verdict.ok) return { ok: false, reason: 'policy', failures: verdict.failures };
    return { ok: true, credentialVersion: account.credentialVersion };
  }

  /**
   * Sets a new password after the policy passes, then revokes every link and code of the
   * account: a token or code minted under the old password must not outlive it. `current`,
   * the password the person just proved, lets a directory make the change as the person.
   */
  async change(
    accountId: string,
    candidate: string,
    actor: string,
    current?: string,
  ): Promise<PasswordChangeResult> {
    const verdict = await this.check(accountId, candidate);
    if (!verdict.ok) {
      if (verdict.reason === 'policy') {
        await this.deps.audit.record({
          actor,
          accountId,
          action: 'password.change',
          outcome: 'refused',
          detail: { rules: verdict.failures.map((failure) => failure.rule).join(',') },
        });
      }
      return verdict;
    }
    const stored =
      this.deps.directoryPasswords && current !== undefined
        ? await this.savedInDirectory(
            accountId,
            await this.deps.directoryPasswords.change(accountId, current, candidate),
            this.deps.clock.now(),
          )
        : await this.store(accountId, candidate);
    if (!stored.ok) {
      await this.deps.audit.record({
        actor,
        accountId,
        action: 'password.change',
        outcome: 'refused',
        detail: { rules: 'directory' },
      });
      return stored;
    }
    await this.revokeAccess(accountId);
    await this.deps.audit.record({ actor, accountId, action: 'password.changed', outcome: 'success' });
    return stored;
  }

  /**
   * The current password on the change-password page. Wrong tries in a row are limited;
   * past the limit the page refuses until the cooldown ends, and a right one clears the count.
   */
  async verifyCurrent(accountId: string, password: string, actor: string): Promise<CurrentPasswordCheck> {
    const subject = { tag: accountOwner(accountId), name: 'wrong-current-password' };
    const rule = this.wrongPasswordRule();
    // Counted before bcrypt runs, so parallel guesses cannot all slip in under the limit.
    const attempt = await this.deps.rateLimiter.hit(subject, rule);
    if (!attempt.allowed)
      return { ok: false, reason: 'cooling-down', retryAt: attempt.retryAt, started: false };

    if (this.deps.directoryPasswords) {
      const bound = await this.deps.directoryPasswords.verify(accountId, password);
      if (bound === 'ok') {
        await this.deps.rateLimiter.reset(subject);
        return { ok: true };
      }
      // A locked directory account refuses every password, so a right one answers "locked".
      if (bound === 'locked') return { ok: false, reason: 'directory-locked' };
      return this.wrongCurrent(accountId, actor, subject, attempt.remaining);
    }
    const account = await this.deps.directory.getById(accountId);
    const verification = account?.passwordHash
      ? await this.deps.credentials.verify(password, account.passwordHash)
      : { ok: await this.deps.credentials.verifyAgainstDummy(password), needsRehash: false };
    if (verification.ok) {
      await this.deps.rateLimiter.reset(subject);
      if (account?.passwordHash && verification.needsRehash)
        await this.upgrade(account.accountId, account.passwordHash, password);
      return { ok: true };
    }
    return this.wrongCurrent(accountId, actor, subject, attempt.remaining);
  }

  private async wrongCurrent(
    accountId: string,
    actor: string,
    subject: { tag: string; name: string },
    remaining: number,
  ): Promise<CurrentPasswordCheck> {
    const rule = this.wrongPasswordRule();
    const coolingDown = remaining === 0;
    await this.deps.audit.record({
      actor,
      accountId,
      action: 'password.current-wrong',
      outcome: 'failure',
      detail: { cooldown: coolingDown ? 'started' : 'no' },
    });
    if (coolingDown) {
      const state = await this.deps.rateLimiter.peek(subject, rule);
      return { ok: false, reason: 'cooling-down', retryAt: state.retryAt, started: true };
    }
    return { ok: false, reason: 'wrong', attemptsLeft: remaining };
  }

  /**
   * Sign-in check by login email. An unknown email still costs one bcrypt comparison so
   * response time does not reveal which accounts exist; a hash made at a lower cost than
   * configured is replaced while the password is at hand.
   */
  async authenticate(loginEmail: string, password: string): Promise<Authentication> {
    const account = await this.deps.directory.getByLoginEmail(loginEmail);
    if (this.deps.directoryPasswords) {
      if (account === null) return { ok: false };
      const bound = await this.deps.directoryPasswords.verify(account.accountId, password);
      return bound === 'ok' ? { ok: true, accountId: account.accountId } : { ok: false };
    }
    if (!account?.passwordHash) {
      await this.deps.credentials.verifyAgainstDummy(password);
      return { ok: false };
    }
    const verification = await this.deps.credentials.verify(password, account.passwordHash);
    if (!verification.ok) return { ok: false };
    if (verification.needsRehash) await this.upgrade(account.accountId, account.passwordHash, password);
    return { ok: true, accountId: account.accountId };
  }

  /**
   * Stores a password that passed the product's policy: a bcrypt hash in the embedded store,
   * or the directory's own operation, whose refusal names its rule. Bumps the credential
   * version either way, so links and sessions minted under the old password die.
   */
  async store(
    accountId: string,
    password: string,
    changedAt = this.deps.clock.now(),
  ): Promise<PasswordChangeResult> {
    if (this.deps.directoryPasswords) {
      const set = await this.deps.directoryPasswords.set(accountId, password);
      return this.savedInDirectory(accountId, set, changedAt);
    }
    const hash = await this.deps.credentials.hash(password);
    return { ok: true, credentialVersion: await this.storeHash(accountId, hash, changedAt), changedAt };
  }

  /** What the directory's password operation came to: a refusal naming its rule, or the new version. */
  private async savedInDirectory(
    accountId: string,
    result: DirectoryPasswordResult,
    changedAt: number,
  ): Promise<PasswordChangeResult> {
    if (!result.ok) {
      if (result.refusal === 'unknown-account') return { ok: false, reason: 'unknown-account' };
      const error: PasswordFailure['error'] =
        result.refusal === 'too-young' && result.changeableAt !== undefined
          ? { key: 'password.directory.too-young-until', params: { changeableAt: result.changeableAt } }
          : { key: `password.directory.${result.refusal}` };
      return { ok: false, reason: 'policy', failures: [{ rule: 'directory', error }] };
    }
    const credentialVersion = await this.deps.directory.bumpCredentialVersion(accountId);
    // The directory's own change time, which later reads (reminders, links) compare against.
    const saved = (await this.deps.directory.getById(accountId))?.passwordChangedAt ?? changedAt;
    return { ok: true, credentialVersion, changedAt: saved };
  }

  /** Saves a hash made earlier (a reset stages it before the identity check); embedded store only. */
  storeHash(accountId: string, hash: string, changedAt: number): Promise<number> {
    return this.deps.directory.setPassword(accountId, {
      hash,
      changedAt,
      historySize: this.deps.rules.historySize,
    });
  }

  /** True when an external directory keeps the passwords. */
  get managedByDirectory(): boolean {
    return Boolean(this.deps.directoryPasswords);
  }

  /** Replaces a hash made at a lower cost than configured, while the password is at hand. */
  private async upgrade(accountId: string, currentHash: string, password: string): Promise<void> {
    const upgraded = await this.deps.credentials.hash(password);
    await this.deps.directory.upgradePasswordHash(accountId, currentHash, upgraded);
  }

  /** Clears the directory's lockout after failed sign-ins; false when there was none (or no directory). */
  async unlockDirectory(accountId: string): Promise<boolean> {
    return (await this.deps.directoryPasswords?.unlock(accountId)) ?? false;
  }

  /** Kills every reset and change-password link and every live code of the account. */
  async revokeAccess(accountId: string): Promise<void> {
    await this.deps.linkTokens.revokeAll(accountId);
    await this.deps.codes.revokeAll(accountId);
  }

  private wrongPasswordRule(): RateLimitRule {
    return {
      limit: this.deps.rules.wrongPasswordLimit,
      windowMs: this.deps.rules.wrongPasswordCooldownMs,
      mode: 'sliding',
    };
  }
}
