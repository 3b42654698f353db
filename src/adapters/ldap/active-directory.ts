import { Attribute, Change } from 'ldapts';
import type { DirectoryPasswordRefusal } from '../../ports/directory-passwords.js';

/**
 * Active Directory takes a new password only as `unicodePwd`: the password in double quotes,
 * encoded UTF-16LE, written over an encrypted connection (MS-ADTS 3.1.1.3.1.5).
 */
export function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

/**
 * The user-change form (MS-ADTS 3.1.1.3.1.5.2): one modify that deletes the old `unicodePwd`
 * and adds the new, sent bound as the person. AD then checks the old password and applies the
 * policy it keeps for users (history, minimum age), which an administrator's replace skips.
 */
export function adPasswordChange(current: string, password: string): Change[] {
  return [
    new Change({
      operation: 'delete',
      modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(current)] }),
    }),
    new Change({
      operation: 'add',
      modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(password)] }),
    }),
  ];
}

/**
 * AD reports why a password change failed in the diagnostic message: a hex "problem" code
 * and, inside `data`, the Win32 error. 0000052D (ERROR_PASSWORD_RESTRICTION) covers length,
 * complexity, history and minimum age alike: AD does not say which, so it maps to `quality`.
 */
export function adPasswordRefusal(diagnostic: string): DirectoryPasswordRefusal | 'locked' | 'wrong' | null {
  const data = /data ([0-9a-f]+)/i.exec(diagnostic)?.[1]?.toLowerCase();
  const problem = /^([0-9A-F]{8}):/i.exec(diagnostic)?.[1]?.toUpperCase();
  if (problem === '0000052D' || data === '52d') return 'quality';
  if (data === '775') return 'locked';
  // 00000056 (ERROR_INVALID_PASSWORD): the old value of a user change did not match.
  if (data === '52e' || problem === '00000056') return 'wrong';
  if (data === '533' || data === '701') return 'not-allowed';
  if (problem === '00000005' || problem === '00002077' || problem === '0000001F') return 'not-allowed';
  return null;
}

/** `lockoutTime` written as 0 is how AD clears a lockout. */
export const AD_UNLOCKED = '0';
