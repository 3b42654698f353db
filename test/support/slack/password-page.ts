import { slack } from '../../../src/messages/slack.js';
import { findButton, hasButton } from './blocks.js';
import type { SlackPerson } from './workspace.js';

/**
 * `/account password` as `person`: step-up with the code `code()` reads from its delivery
 * when step-up asks for one (inside the privileged window it does not), then the
 * single-use change-password page from the DM's button.
 */
export async function changePasswordPage(
  person: SlackPerson,
  code: () => Promise<string>,
): Promise<{ url: string; token: string }> {
  await person.command('password');
  if (hasButton(person.latestDm().blocks, slack.buttons.enterCode)) {
    await person.click(slack.buttons.enterCode);
    await person.submit({ [slack.modal.codeLabel]: await code() });
  }
  const url = findButton(person.latestDm().blocks, slack.buttons.openPasswordPage).url ?? '';
  return { url, token: new URL(url).pathname.split('/').at(-1) ?? '' };
}
