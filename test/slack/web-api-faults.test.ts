import { describe, expect, it } from 'vitest';
import { common } from '../../src/messages/common.js';
import { slack } from '../../src/messages/slack.js';
import { support } from '../../src/messages/support.js';
import { visibleText } from '../support/slack/blocks.js';
import { useSlackHarness } from '../support/slack/harness.js';
import { nextLinkedPerson } from '../support/slack/people.js';

// Short enough for a test to wait out; the default is 10 s.
const harness = useSlackHarness({ env: { SLACK_API_TIMEOUT_MS: '500' } });

describe('a channel mention when Slack refuses the reply in the thread', () => {
  for (const error of ['ratelimited', 'internal_error', 'not_in_channel']) {
    it(`(${error}) still moves the work to the DM`, async () => {
      const h = harness();
      const person = await nextLinkedPerson(h, 'WEBAPI');
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

describe('a Web API call that never answers', () => {
  it('fails after SLACK_API_TIMEOUT_MS instead of holding the request, and the person hears of it', async () => {
    const h = harness();
    const person = await nextLinkedPerson(h, 'WEBAPI');
    h.fake.hangNext('chat.postMessage');
    // Settles only once the app finished the request: before the timeout, after minutes.
    const answer = await person.command('help');

    expect(answer.status).toBe(200);
    expect(h.workspace.signer.lastAckMs).toBeLessThan(3_000);
    const told = h.fake.callsOf('response_url').filter((call) => call.args.user === person.id);
    expect(told.map((call) => call.args.text)).toEqual([common.somethingWentWrong]);

    await person.command('help');
    expect(person.latestDm().text).toBe(slack.help.title);
  });
});
