import type { AppConfig } from '../config/config.js';
import { web } from '../messages/web.js';
import { NIST_LENGTH, SEED_LENGTH } from '../services/credentials/policy.js';

/**
 * The policy in force as the pages list it before the first try, so nobody has to learn
 * the rules from refusals. The checks themselves stay in the credentials service.
 */
export function passwordRuleLines(
  passwords: Pick<AppConfig['passwords'], 'policy' | 'historySize'>,
): string[] {
  const words = web.passwordRules;
  if (passwords.policy === 'nist') {
    return [words.nistLength(NIST_LENGTH.min, NIST_LENGTH.max), words.notGuessable, words.noNames];
  }
  return [
    words.seedLength(SEED_LENGTH.min, SEED_LENGTH.max),
    words.seedCharacters,
    ...(passwords.historySize > 0 ? [words.history(passwords.historySize)] : []),
    words.notGuessable,
    words.noNames,
  ];
}
