import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication, type Application } from '../../src/app/application.js';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { slack } from '../../src/messages/slack.js';
import { testConfig } from '../support/config.js';
import { FakeSlack } from '../support/slack/fake-slack.js';
import { TEST_SIGNING_SECRET } from '../support/slack/harness.js';
import { SlackSigner } from '../support/slack/signer.js';
import { SlackWorkspace } from '../support/slack/workspace.js';

let fake: FakeSlack;
let application: Application;
let server: Server;
let workspace: SlackWorkspace;

beforeAll(async () => {
  fake = await FakeSlack.start();
  const config = testConfig({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_MODE: 'http',
    SLACK_API_URL: fake.apiUrl,
    SLACK_TEAM_ID: fake.teamId,
  });
  application = await createApplication(config, new ManualClock(Date.now()), createLogger('silent'));
  server = await new Promise((resolve) => {
    const started = application.web.app.listen(0, '127.0.0.1', () => resolve(started));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  const runtime = application.slack;
  if (!runtime) throw new Error('the application did not build its Slack app');
  workspace = new SlackWorkspace(fake, new SlackSigner(url, TEST_SIGNING_SECRET), () => runtime.idle());
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
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
  });
});
