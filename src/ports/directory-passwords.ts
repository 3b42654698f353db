/**
 * Passwords kept by an external directory (LDAP, Active Directory): it hashes them and
 * applies its own policy; the product checks its own policy first and asks the directory.
 */
export interface DirectoryPasswords {
  /** Checks a password by binding as the person. An empty password never binds. */
  verify(accountId: string, password: string): Promise<DirectoryBind>;
  /**
   * The person's own change, made as the person (they gave the current password), so the
   * directory applies its user policy: minimum age, history (AD too), quality.
   */
  change(accountId: string, current: string, password: string): Promise<DirectoryPasswordResult>;
  /** A reset (forgotten password): an administrative set through the service account. */
  set(accountId: string, password: string): Promise<DirectoryPasswordResult>;
  /** Clears the directory's lockout after too many failed sign-ins. True when one was cleared. */
  unlock(accountId: string): Promise<boolean>;
  /** When the current password expires under the directory's maximum password age; null: never. */
  expiresAt(accountId: string): Promise<number | null>;
  /** Passwords, changed anywhere, that expire within (from, until] under the default maximum age. */
  expiring(from: number, until: number): Promise<ExpiringPassword[]>;
}

export interface ExpiringPassword {
  accountId: string;
  changedAt: number;
}

export type DirectoryBind = 'ok' | 'wrong' | 'locked' | 'unknown-account';

/** The directory's policy rules, named so each refusal becomes its catalogued message. */
export type DirectoryPasswordRefusal = 'too-short' | 'in-history' | 'too-young' | 'quality' | 'not-allowed';

export type DirectoryPasswordResult =
  | { ok: true }
  /** `changeableAt`: when a password refused as too young may change, if the policy tells it. */
  | { ok: false; refusal: DirectoryPasswordRefusal; changeableAt?: number }
  | { ok: false; refusal: 'unknown-account' };
