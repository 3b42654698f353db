import { describe, expect, it } from 'vitest';
import { common } from '../../src/messages/common.js';
import { slack } from '../../src/messages/slack.js';
import { capturedLogger } from '../support/log-capture.js';
import { useSlackHarness } from '../support/slack/harness.js';
import { nextLinkedPerson } from '../support/slack/people.js';

const log = capturedLogger();
// The production retry policy with a 500 ms SLACK_API_TIMEOUT_MS: a call may go on retrying
// for 3 s (6 timeouts) instead of the Web API client's ~30 minutes.
const harness = useSlackHarness({
  env: { SLACK_API_TIMEOUT_MS: '500' },
  productionRetries: true,
  logger: log.logger,
});

const givenUp = () =>
  log.lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => String(line.msg).includes('retry budget'));

/** A new person asks for help while Slack answers their DM's chat.postMessage with 429s. */
async function helpWhileLimited(limits: { times?: number; retryAfterSeconds: number }) {
  const h = harness();
  const person = await nextLinkedPerson(h, 'LIMITED');
  h.fake.failNext('chat.postMessage', 'ratelimited', limits);
  // Settles once the app is done with the request: after seconds, not half an hour.
  const answer = await person.command('help');
  const tries = h.fake.callsOf('chat.postMessage').filter((call) => call.args.channel === person.id);
  const told = h.fake.callsOf('response_url').filter((call) => call.args.user === person.id);
  return { h, person, answer, tries: tries.length, told: told.map((call) => call.args.text) };
}

describe('a rate-limited Web API call (429 with Retry-After)', () => {
  it('waits out Retry-After and succeeds when Slack lets it through', async () => {
    const { person, tries } = await helpWhileLimited({ retryAfterSeconds: 1 });
    expect(tries).toBe(2);
    expect(person.latestDm().text).toBe(slack.help.title);
  });

  it('is given up once its budget is spent: a few tries, the failure logged without secrets, the person told', async () => {
    const lines = log.lines.length;
    const { h, answer, tries, told } = await helpWhileLimited({ times: 100, retryAfterSeconds: 1 });

    expect(answer.status).toBe(200);
    expect(tries).toBeGreaterThanOrEqual(2);
    expect(tries).toBeLessThanOrEqual(4);
    expect(told).toEqual([common.somethingWentWrong]);
    expect(givenUp()).toEqual([
      expect.objectContaining({ method: 'chat.postMessage', reason: 'ratelimited', tries }),
    ]);
    expect(log.lines.slice(lines).join('\n')).not.toContain(h.fake.botToken);
    h.fake.clearFailures('chat.postMessage');
  });

  it('fails at once when Retry-After reaches past the budget, without waiting', async () => {
    const { tries, told } = await helpWhileLimited({ retryAfterSeconds: 30 });
    expect(tries).toBe(1);
    expect(told).toEqual([common.somethingWentWrong]);
  });
});
