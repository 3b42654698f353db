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

const numbered = new Map<string, number>();

/**
 * The next person of a test file: Slack user `U0<TAG><n>`, linked to a new account with login
 * email `<tag><n>@example.com`; `extra(n)` adds fields (a security mobile of their own).
 */
export async function nextLinkedPerson(
  h: SlackHarness,
  tag: string,
  extra: (n: number) => Partial<CreateAccountInput> = () => ({}),
): Promise<SlackPerson> {
  const n = (numbered.get(tag) ?? 0) + 1;
  numbered.set(tag, n);
  const input = {
    loginEmail: `${tag.toLowerCase()}${n}@example.com`,
    accountName: `${tag} ${n}`,
    ...extra(n),
  };
  return (await linkedPerson(h, `U0${tag}${n}`, input)).person;
}
