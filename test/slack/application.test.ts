import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication, type Application } from '../../src/app/application.js';
import { ManualClock } from '../../src/core/clock.js';
import { slack } from '../../src/messages/slack.js';
import { testConfig } from '../support/config.js';
import { capturedLogger } from '../support/log-capture.js';
import { FakeSlack } from '../support/slack/fake-slack.js';
import { TEST_SIGNING_SECRET } from '../support/slack/harness.js';
import { SlackSigner } from '../support/slack/signer.js';
import { SlackWorkspace } from '../support/slack/workspace.js';

let fake: FakeSlack;
let application: Application;
const log = capturedLogger();
let workspace: SlackWorkspace;
let url: string;

beforeAll(async () => {
  fake = await FakeSlack.start();
  const config = testConfig({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_MODE: 'http',
    SLACK_API_URL: fake.apiUrl,
    SLACK_TEAM_ID: fake.teamId,
    HOST: '127.0.0.1',
    PORT: '0',
  });
  application = await createApplication(config, new ManualClock(Date.now()), log.logger);
  const listening = await application.web.listen();
  url = `http://127.0.0.1:${listening.port}/slack/events`;
  const runtime = application.slack;
  if (!runtime) throw new Error('the application did not build its Slack app');
  workspace = new SlackWorkspace(fake, new SlackSigner(url, TEST_SIGNING_SECRET), () => runtime.idle());
});

afterAll(async () => {
  await application.stop();
  await fake.close();
});

describe('the composition root wires Slack', () => {
  it('serves signed Slack requests on the web server at /slack/events, and refuses unsigned ones', async () => {
    const person = workspace.person({ id: 'U0ROOT' });
    await person.command('help');
    expect(person.latestDm().text).toBe(slack.help.title);
    const unsigned = await workspace.signer.post('{}', 'application/json', { signature: 'v0=00' });
    expect(unsigned.status).toBe(401);
    expect(fake.callsOf('auth.test')).toHaveLength(1);
    // Served ahead of Express, logged and measured like every request, by route only.
    const lines = log.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.msg === 'request' && line.route === '/slack/events')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: 'POST', status: 200 }),
        expect.objectContaining({ method: 'POST', status: 401 }),
      ]),
    );
    const metrics = await application.metrics.registry.metrics();
    expect(metrics).toMatch(
      /account_assistant_http_request_duration_seconds_count\{[^}]*route="\/slack\/events"[^}]*\} [1-9]/,
    );
  });

  it('leaves every other request on the slack path to the pages (404)', async () => {
    const page = await fetch(url);
    expect(page.status).toBe(404);
  });
});
