import type { AppConfig } from '../../config/config.js';
import { createPasswordHasher, type PasswordHasher } from './hashing.js';
import type { BcryptRunner } from './hashing-pool.js';
import { checkPassword, type PasswordCheck, type PasswordContext } from './policy.js';

export {
  createHashingPool,
  HashingBusyError,
  type BcryptRunner,
  type HashingPool,
  type HashingPoolOptions,
} from './hashing-pool.js';
export { accountContextWords } from './context-words.js';
export type { PasswordFailure } from './policy.js';

export interface Credentials extends PasswordHasher {
  /** The configured policy and history size applied to one account's context. */
  checkPassword(
    password: string,
    context: Omit<PasswordContext, 'policy' | 'historySize'>,
  ): Promise<PasswordCheck>;
}

/**
 * Policy, history size, the operator's context words and bcrypt cost bound from config, for
 * services that change passwords.
 */
export function createCredentials(passwords: AppConfig['passwords'], runner?: BcryptRunner): Credentials {
  const hasher = createPasswordHasher({ bcryptCost: passwords.bcryptCost, ...(runner ? { runner } : {}) });
  return {
    ...hasher,
    checkPassword: (password, context) =>
      checkPassword(password, {
        ...context,
        policy: passwords.policy,
        historySize: passwords.historySize,
        contextWords: [...(context.contextWords ?? []), ...passwords.contextWords],
        matchesAny: hasher.matchesAny,
      }),
  };
}
