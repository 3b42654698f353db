import type { MappableField } from '../config/ldap-attributes.js';

/**
 * The account directory (LDAP, Active Directory) refused a write: the service account may
 * not change that attribute, or the directory's schema does not allow the value. Nothing was
 * written; the caller tells the person which field and what to do (src/messages/directory.ts).
 */
export class DirectoryRefusedError extends Error {
  readonly code = 'DIRECTORY_REFUSED';
  constructor(
    readonly reason: 'access' | 'schema',
    operation: string,
    /** The account fields the refused write would have changed. */
    readonly fields: readonly MappableField[] = [],
  ) {
    super(`The directory refused ${operation} (${reason}).`);
    this.name = 'DirectoryRefusedError';
  }
}

/** Passwords in a directory change only through its own password operation (see src/adapters/ldap/). */
export class DirectoryManagesPasswordsError extends Error {
  readonly code = 'DIRECTORY_MANAGES_PASSWORDS';
  constructor() {
    super('The directory stores this password; change it through the directory password operation.');
    this.name = 'DirectoryManagesPasswordsError';
  }
}
