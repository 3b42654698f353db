import type { Account } from '../../domain/account.js';

/**
 * Shorter fragments of names and addresses ("the", "doe", "hr") would refuse too many
 * unrelated passwords; the operator's own list (PASSWORD_CONTEXT_WORDS) is taken as given.
 */
const MIN_ACCOUNT_WORD_LENGTH = 4;

const WORD_SEPARATORS = /[^\p{L}\p{N}]+/u;

function wordsOf(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(WORD_SEPARATORS)
    .filter((word) => [...word].length >= MIN_ACCOUNT_WORD_LENGTH);
}

/** The local part's words and the domain's labels without the top-level one (`com` says nothing). */
function emailWords(email: string): string[] {
  const at = email.lastIndexOf('@');
  if (at < 0) return wordsOf(email);
  const labels = email.slice(at + 1).split('.');
  return [...wordsOf(email.slice(0, at)), ...labels.slice(0, -1).flatMap(wordsOf)];
}

/**
 * What an attacker who knows the person tries first: the account's name, the words of its
 * email addresses, and its contact's full name and company.
 */
export function accountContextWords(account: Account): string[] {
  const emails = [account.loginEmail, account.contactEmail, account.verificationEmail];
  const words = [
    ...wordsOf(account.accountName),
    ...(account.contactAddress
      ? [account.contactAddress.fullName, account.contactAddress.companyName]
      : []
    ).flatMap(wordsOf),
    ...emails.flatMap((email) => (email ? emailWords(email) : [])),
  ];
  return [...new Set(words)];
}
