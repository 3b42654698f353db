import { describe, expect, it } from 'vitest';
import { slack } from '../../src/messages/slack.js';
import { support } from '../../src/messages/support.js';
import { visibleText } from '../support/slack/blocks.js';
import { useSlackHarness, type SlackHarness } from '../support/slack/harness.js';
import type { SlackPerson } from '../support/slack/workspace.js';

const harness = useSlackHarness({});

let people = 0;
async function linkedPerson(h: SlackHarness): Promise<SlackPerson> {
  people += 1;
  const id = `U0WEBAPI${people}`;
  const account = await h.application.stores.directory.create({
    loginEmail: `webapi${people}@example.com`,
    accountName: `Web API ${people}`,
  });
  await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, id);
  return h.workspace.person({ id, email: account.loginEmail });
}

describe('a channel mention when Slack refuses the reply in the thread', () => {
  for (const error of ['ratelimited', 'internal_error', 'not_in_channel']) {
    it(`(${error}) still moves the work to the DM`, async () => {
      const h = harness();
      const person = await linkedPerson(h);
      h.fake.failNext('chat.postMessage', error, { retryAfterSeconds: 0 });
      const answer = await person.mention('C0WEBAPI', 'reset my password');

      expect(answer.status).toBe(200);
      expect(h.fake.messagesIn('C0WEBAPI').map((message) => message.text)).not.toContain(
        support.mention.handOff(person.id),
      );
      const dm = person.dmMessages().map((message) => visibleText(message.blocks, message.text));
      expect(dm.join('\n')).toContain(slack.flowMessage.forgotPassword);
    });
  }
});
