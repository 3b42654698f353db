import { afterAll, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { common } from '../../src/messages/common.js';
import { slack } from '../../src/messages/slack.js';
import { visibleText } from '../support/slack/blocks.js';
import { SUPPORT_CHANNEL, useSlackHarness, type SlackHarness } from '../support/slack/harness.js';
import type { SlackPerson } from '../support/slack/workspace.js';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.js';

// A private server: stopping the run's shared one would break every other suite.
let server: RedisServerHandle;
afterAll(async () => {
  await server?.dispose();
});
const harness = useSlackHarness(async () => {
  server = await startRedisServer();
  return { env: { REDIS_URL: server.url } };
});

let people = 0;
async function linkedPerson(h: SlackHarness): Promise<{ person: SlackPerson; accountId: string }> {
  people += 1;
  const id = `U0SILENT${people}`;
  const account = await h.application.stores.directory.create({
    loginEmail: `silent${people}@example.com`,
    accountName: `Silent ${people}`,
  });
  await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, id);
  return { person: h.workspace.person({ id, email: account.loginEmail }), accountId: account.accountId };
}

/** Every answer the person saw after `since` calls: the ack, the response_url, the DM, the Home tab. */
function answersTo(h: SlackHarness, person: SlackPerson, since: number, ack?: string): string[] {
  const seen = ack ? [ack] : [];
  for (const call of h.fake.calls.slice(since)) {
    const channel = String(call.args.channel ?? call.args.user_id ?? '');
    if (channel !== person.id && channel !== person.dmChannel && call.args.user_id !== person.id) continue;
    seen.push(visibleText(call.args.blocks ?? call.args.view, String(call.args.text ?? '')));
  }
  return seen;
}

describe('never silent', () => {
  it('answers a person whose account record is damaged, alerts support once and touches no one else', async () => {
    const h = harness();
    const { person, accountId } = await linkedPerson(h);
    const { person: neighbour } = await linkedPerson(h);
    const keys = new RedisKeys(h.deps.config.redis.keyPrefix);
    await h.application.stores.redis?.set(keys.account(accountId, 'account'), '{"broken":');

    const entries: { name: string; run: () => Promise<string | undefined> }[] = [
      { name: '/account info', run: async () => (await person.command('info')).json?.text as string },
      { name: '/account mobile', run: async () => (await person.command('mobile')).json?.text as string },
      { name: 'DM phrase', run: async () => (await person.say('change my mobile')).json?.text as string },
      { name: 'Home tab', run: async () => (await person.openHome()).json?.text as string },
    ];
    for (const entry of entries) {
      const since = h.fake.calls.length;
      const ack = await entry.run();
      expect(answersTo(h, person, since, ack).join('\n'), entry.name).toContain(common.recordDamaged);
    }

    const alerts = h.fake.messagesIn(SUPPORT_CHANNEL);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toContain(`account ${accountId}`);
    const audited = await h.application.stores.audit.recent(50);
    expect(audited.filter((event) => event.action === 'record.damaged').length).toBe(entries.length);

    await neighbour.openHome();
    expect(visibleText(neighbour.home().view.blocks)).toContain(slack.home.title);
    expect(visibleText(neighbour.home().view.blocks)).not.toContain(common.recordDamaged);
  });

  it('answers "temporarily unavailable" at every entry point while Redis is down', async () => {
    const h = harness();
    const { person } = await linkedPerson(h);
    await server.stop();
    try {
      const entries: { name: string; run: () => Promise<string | undefined> }[] = [
        { name: '/account info', run: async () => (await person.command('info')).json?.text as string },
        { name: '/account mobile', run: async () => (await person.command('mobile')).json?.text as string },
        { name: 'DM phrase', run: async () => (await person.say('change my mobile')).json?.text as string },
        { name: 'Home tab', run: async () => (await person.openHome()).json?.text as string },
      ];
      for (const entry of entries) {
        const since = h.fake.calls.length;
        const started = performance.now();
        const ack = await entry.run();
        expect(performance.now() - started, entry.name).toBeLessThan(3_000);
        expect(answersTo(h, person, since, ack).join('\n'), entry.name).toContain(
          common.temporarilyUnavailable,
        );
      }
    } finally {
      await server.start();
    }
  });
});
