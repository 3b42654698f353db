import type { CreateAccountInput } from '../../../src/domain/account.js';
import type { SlackHarness } from './harness.js';
import type { SlackPerson } from './workspace.js';

/** A new account linked to the Slack user `id`, and that user as a person in the workspace. */
export async function linkedPerson(
  h: SlackHarness,
  id: string,
  input: CreateAccountInput,
): Promise<{ person: SlackPerson; accountId: string }> {
  const { directory } = h.application.stores;
  const account = await directory.create(input);
  await directory.linkSlackUser(account.accountId, h.fake.teamId, id);
  return { person: h.workspace.person({ id, email: account.loginEmail }), accountId: account.accountId };
}
