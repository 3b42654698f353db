import { afterAll, describe, expect, it } from 'vitest';
import { common } from '../../src/messages/common.js';
import { support } from '../../src/messages/support.js';
import { SUPPORT_CHANNEL, toldSince, useSlackHarness } from '../support/slack/harness.js';
import type { SlackResponse } from '../support/slack/signer.js';
import type { SlackPerson } from '../support/slack/workspace.js';
import { linkedDirectoryPerson } from '../support/ldap.js';
import { ldapEnvironment, startLdapServer, type LdapServerHandle } from '../support/ldap-server.js';

/**
 * slapd frozen (SIGSTOP): connections are accepted and nothing answers, unlike a stopped
 * server that refuses them at once. LDAP_TIMEOUT_MS stays at its default (2 s): every entry
 * point that reads the account must tell the person within Slack's 3 s, retries included.
 */
const AGENT = 'U0DIRHANGAGENT';
const SLACK_WINDOW_MS = 3_000;

let ldap: LdapServerHandle;
afterAll(async () => {
  await ldap?.dispose();
});
const harness = useSlackHarness(async () => {
  ldap = await startLdapServer();
  return { env: { ...ldapEnvironment(ldap), SUPPORT_USER_IDS: AGENT } };
});

describe('while slapd hangs (DIRECTORY=ldap)', () => {
  it('every entry point that reads the account says "temporarily unavailable" within 3 s', async () => {
    const h = harness();
    const { person } = await linkedDirectoryPerson(ldap, h, {
      uid: 'hang1',
      name: 'Hang One',
      mobile: '+8613800100001',
      password: 'Initial.pass1',
      slackUserId: 'U0DIRHANG1',
    });
    const agent = h.workspace.person({ id: AGENT, email: 'agent@example.com' });
    const entries: { name: string; who: SlackPerson; says: string; run: () => Promise<SlackResponse> }[] = [
      ...['info', 'mobile', 'email', 'password', 'verify'].map((word) => ({
        name: `/account ${word}`,
        who: person,
        says: common.temporarilyUnavailable,
        run: () => person.command(word),
      })),
      ...['lookup', 'unlock', 'reset-offer'].map((verb) => ({
        name: `/account ${verb}`,
        who: agent,
        says: support.commands.unavailable,
        run: () => agent.command(`${verb} <@${person.id}>`, { channel: SUPPORT_CHANNEL }),
      })),
      {
        name: 'DM phrase',
        who: person,
        says: common.temporarilyUnavailable,
        run: () => person.say('change my email'),
      },
      { name: 'Home tab', who: person, says: common.temporarilyUnavailable, run: () => person.openHome() },
      {
        name: 'channel mention asking for a flow',
        who: person,
        says: common.temporarilyUnavailable,
        run: () => person.mention('C0DIRHANG', 'change my mobile'),
      },
    ];
    ldap.pause();
    try {
      for (const entry of entries) {
        const since = h.fake.calls.length;
        const started = performance.now();
        const ack = await entry.run();
        const told = toldSince(h, entry.who.id, since, ack);
        expect(ack.status, entry.name).toBe(200);
        expect(h.workspace.signer.lastAckMs, entry.name).toBeLessThan(SLACK_WINDOW_MS);
        expect(told, entry.name).toContain(entry.says);
        expect(performance.now() - started, `${entry.name}: told within the window`).toBeLessThan(
          SLACK_WINDOW_MS,
        );
      }
    } finally {
      ldap.resume();
    }
    const since = h.fake.calls.length;
    const ack = await person.command('info');
    expect(toldSince(h, person.id, since, ack)).not.toContain(common.temporarilyUnavailable);
  }, 120_000);
});
