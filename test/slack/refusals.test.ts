import { describe, expect, it } from 'vitest';
import { slack } from '../../src/messages/slack.js';
import { useSlackHarness } from '../support/slack/harness.js';

const harness = useSlackHarness({});

describe('refused people hear it once a day at most', () => {
  it('tells a guest once, however often they open the Home tab or write', async () => {
    const h = harness();
    const guest = h.workspace.person({ id: 'U0GUESTDAY', isRestricted: true });
    await guest.openHome();
    await guest.openHome();
    await guest.say('change my mobile');
    await guest.openHome();

    expect(guest.dmMessages().map((message) => message.text)).toEqual([slack.refusals.guest]);
    expect(h.fake.callsOf('views.publish').filter((call) => call.args.user_id === guest.id)).toEqual([]);
  });

  it('answers a guest who runs a command in the command itself, never in a new DM', async () => {
    const guest = harness().workspace.person({ id: 'U0GUESTCMD', isUltraRestricted: true });
    await guest.openHome();
    const answer = await guest.command('info');
    expect(answer.json?.text).toBe(slack.refusals.guest);
    expect(guest.dmMessages()).toHaveLength(1);
  });

  it('says nothing at all to a bot', async () => {
    const h = harness();
    const bot = h.workspace.person({ id: 'U0CHATBOT', isBot: true });
    await bot.say('help');
    await bot.openHome();
    const answer = await bot.command('info');

    expect(answer.status).toBe(200);
    expect(answer.json?.text).toBeUndefined();
    expect(bot.dmMessages()).toEqual([]);
  });
});
