import {
  Attribute,
  BerWriter,
  Change,
  ConstraintViolationError,
  InsufficientAccessError,
  InvalidCredentialsError,
  PasswordPolicyControl,
  PasswordPolicyError,
  ResultCodeError,
  UnwillingToPerformError,
} from 'ldapts';
import type {
  ExpiringPassword,
  DirectoryBind,
  DirectoryPasswordRefusal,
  DirectoryPasswordResult,
  DirectoryPasswords,
} from '../../ports/directory-passwords.js';
import { DirectoryRefusedError } from '../../ports/directory-errors.js';
import type { LdapAccountDirectory } from './account-directory.js';
import { AD_UNLOCKED, adPasswordChange, adPasswordRefusal, unicodePwd } from './active-directory.js';
import type { DirectoryEntry } from './entries.js';
import type { LdapMode } from '../../config/ldap-attributes.js';
import type { LdapConnections } from './connections.js';
import type { PasswordPolicies } from './password-policies.js';

/** RFC 3062 Password Modify extended operation. */
export const PASSWORD_MODIFY_OID = '1.3.6.1.4.1.4203.1.11.1';

/**
 * The request value: SEQUENCE { userIdentity [0], oldPasswd [1], newPasswd [2] }. The person's
 * own change sends the old password (what `pwdSafeModify` asks for); a reset has none to send.
 */
export function passwordModifyRequest(dn: string, newPassword: string, oldPassword?: string): Buffer {
  const writer = new BerWriter();
  writer.startSequence();
  writer.writeString(dn, 0x80);
  if (oldPassword !== undefined) writer.writeString(oldPassword, 0x81);
  writer.writeString(newPassword, 0x82);
  writer.endSequence();
  return writer.buffer;
}

/**
 * Passwords in the directory: checked by binding as the person, set with the directory's own
 * operation so it hashes them and applies its policy (OpenLDAP: Password Modify with the
 * ppolicy control; AD: `unicodePwd`), lockouts read and cleared through their attributes.
 * The person's own change runs bound as the person, so the directory applies the policy it
 * keeps for users (minimum age; AD's history); a reset is an administrative set by the service
 * account, as LDAP Tool Box Self Service Password does.
 * No password ever reaches a log, an error message or the product store.
 */
export class LdapPasswords implements DirectoryPasswords {
  constructor(
    private readonly ldap: LdapConnections,
    private readonly directory: LdapAccountDirectory,
    private readonly mode: LdapMode,
    private readonly policies: PasswordPolicies,
  ) {}

  async verify(accountId: string, password: string): Promise<DirectoryBind> {
    const entry = await this.directory.entryOf(accountId);
    if (entry === null) return 'unknown-account';
    // An empty simple bind is an anonymous bind, which succeeds: never let it stand for a password.
    if (password === '') return 'wrong';
    const control = new PasswordPolicyControl();
    try {
      await this.ldap.asPerson('bind', entry.dn, password, async () => undefined, control);
      return 'ok';
    } catch (error) {
      if (!(error instanceof InvalidCredentialsError)) throw error;
      if (control.value?.error === PasswordPolicyError.AccountLocked) return 'locked';
      if (this.mode === 'ad' && adPasswordRefusal(error.message) === 'locked') return 'locked';
      return 'wrong';
    }
  }

  async change(accountId: string, current: string, password: string): Promise<DirectoryPasswordResult> {
    const entry = await this.directory.entryOf(accountId);
    if (entry === null) return { ok: false, refusal: 'unknown-account' };
    const control = new PasswordPolicyControl();
    return this.refusedOr(entry, control, () =>
      this.ldap.asPerson<unknown>('password change', entry.dn, current, (client) =>
        this.mode === 'ad'
          ? client.modify(entry.dn, adPasswordChange(current, password))
          : client.exop(PASSWORD_MODIFY_OID, passwordModifyRequest(entry.dn, password, current), control),
      ),
    );
  }

  async set(accountId: string, password: string): Promise<DirectoryPasswordResult> {
    const entry = await this.directory.entryOf(accountId);
    if (entry === null) return { ok: false, refusal: 'unknown-account' };
    const control = new PasswordPolicyControl();
    return this.refusedOr(entry, control, () =>
      this.ldap.service<unknown>('password', (client) =>
        this.mode === 'ad'
          ? client.modify(
              entry.dn,
              new Change({
                operation: 'replace',
                modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(password)] }),
              }),
            )
          : client.exop(PASSWORD_MODIFY_OID, passwordModifyRequest(entry.dn, password), control),
      ),
    );
  }

  /** Runs a password operation; the directory's refusal becomes the rule it names. */
  private async refusedOr(
    entry: DirectoryEntry,
    control: PasswordPolicyControl,
    operation: () => Promise<unknown>,
  ): Promise<DirectoryPasswordResult> {
    try {
      await operation();
      return { ok: true };
    } catch (error) {
      const refusal = this.refusalOf(error, control.value?.error);
      if (refusal === null) throw error;
      if (refusal !== 'too-young') return { ok: false, refusal };
      const changeableAt = await this.changeableAt(entry);
      return changeableAt === null ? { ok: false, refusal } : { ok: false, refusal, changeableAt };
    }
  }

  /** When the minimum age of the person's policy ends; null when the directory does not tell. */
  private async changeableAt(entry: DirectoryEntry): Promise<number | null> {
    if (entry.passwordChangedAt === null) return null;
    const minAgeMs = await this.policies.minAgeMs(entry.policyDn);
    return minAgeMs === null ? null : entry.passwordChangedAt + minAgeMs;
  }

  async unlock(accountId: string): Promise<boolean> {
    const entry = await this.directory.entryOf(accountId);
    if (entry === null || entry.lockedAt === null) return false;
    const change =
      this.mode === 'ad'
        ? new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'lockoutTime', values: [AD_UNLOCKED] }),
          })
        : new Change({
            operation: 'delete',
            modification: new Attribute({ type: 'pwdAccountLockedTime', values: [] }),
          });
    try {
      await this.ldap.service('unlock', (client) => client.modify(entry.dn, change));
    } catch (error) {
      if (error instanceof InsufficientAccessError)
        throw new DirectoryRefusedError('access', 'clearing a lockout');
      throw error;
    }
    return true;
  }

  async expiresAt(accountId: string): Promise<number | null> {
    const entry = await this.directory.entryOf(accountId);
    if (entry?.passwordChangedAt == null) return null;
    const maxAgeMs = await this.policies.maxAgeMs(entry.policyDn);
    return maxAgeMs === null ? null : entry.passwordChangedAt + maxAgeMs;
  }

  async expiring(from: number, until: number): Promise<ExpiringPassword[]> {
    const maxAgeMs = await this.policies.maxAgeMs();
    if (maxAgeMs === null) return [];
    // A change on the boundary may be found by two scans; the reminder's job id makes it one.
    const found = await this.directory.changedBetween(from - maxAgeMs, until - maxAgeMs);
    return found.flatMap(({ accountId, entry }) =>
      entry.passwordChangedAt === null ? [] : [{ accountId, changedAt: entry.passwordChangedAt }],
    );
  }

  private refusalOf(error: unknown, policyError: number | undefined): DirectoryPasswordRefusal | null {
    if (!(error instanceof ResultCodeError)) return null;
    if (this.mode === 'ad') {
      const refusal = adPasswordRefusal(error.message);
      return refusal === 'locked' || refusal === 'wrong' ? 'not-allowed' : refusal;
    }
    switch (policyError) {
      case PasswordPolicyError.PasswordTooShort:
        return 'too-short';
      case PasswordPolicyError.PasswordInHistory:
        return 'in-history';
      case PasswordPolicyError.PasswordTooYoung:
        return 'too-young';
      case PasswordPolicyError.InsufficientPasswordQuality:
        return 'quality';
      case PasswordPolicyError.PasswordModNotAllowed:
        return 'not-allowed';
    }
    if (error instanceof ConstraintViolationError) return 'quality';
    // A person's bind refused between the check and the change: the password or lockout moved.
    if (
      error instanceof InsufficientAccessError ||
      error instanceof UnwillingToPerformError ||
      error instanceof InvalidCredentialsError
    )
      return 'not-allowed';
    return null;
  }
}
