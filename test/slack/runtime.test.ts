import { describe, expect, it } from 'vitest';
import { slack } from '../../src/messages/slack.js';
import { findButton, visibleText } from '../support/slack/blocks.js';
import { useSlackHarness } from '../support/slack/harness.js';
import { StubEngine, type EngineCall } from '../support/slack/stub-engine.js';
import type { FlowView } from '../../machines/shared/flow-view.js';
import type { EngineResult } from '../../src/engine/flow-engine.js';
import { newEventId } from '../support/slack/workspace.js';

const engine = new StubEngine();
const harness = useSlackHarness({ engine: () => engine });

const codeStep = (call: EngineCall): EngineResult => ({
  status: 'active',
  flowId: call.flowId ?? 'flow-replay',
  machineId: 'changeContactMobile',
  // Only the values the renderer reads.
  view: {
    view: 'enterCode',
    machineId: 'changeContactMobile',
    stateId: 'changeContactMobile.enterCode',
    meta: { view: 'enterCode' },
    notice: null,
    context: {
      purpose: 'contact-mobile',
      code: {
        channel: 'sms',
        maskedTarget: '+44 77****0123',
        expiresAt: 0,
        resendAt: 0,
        attemptsLeft: 5,
      },
    },
  } as FlowView,
  busy: false,
});

let counter = 0;
async function linkedPerson(id: string) {
  const h = harness();
  counter += 1;
  const account = await h.application.stores.directory.create({
    loginEmail: `person${counter}-${id.toLowerCase()}@example.com`,
    accountName: `Person ${counter}`,
  });
  await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, id);
  return h.workspace.person({ id, email: account.loginEmail });
}

describe('Slack ingress over HTTP', () => {
  it('answers 401 to a bad signature, a stale timestamp and a future one', async () => {
    const h = harness();
    const body = JSON.stringify(
      h.workspace.eventEnvelope({ type: 'app_home_opened', user: 'U0X', tab: 'home' }),
    );
    // Well past the 300 s edge (the exact edge is unit-tested in gate.test.ts): the three
    // requests before the last may cross a second boundary on a loaded machine.
    const now = Math.floor(Date.now() / 1000);
    const bad = await h.workspace.signer.post(body, 'application/json', { signature: 'v0=deadbeef' });
    const stale = await h.workspace.signer.post(body, 'application/json', { timestamp: now - 360 });
    const future = await h.workspace.signer.post(body, 'application/json', { timestamp: now + 360 });
    const fresh = await h.workspace.signer.post(body, 'application/json', { timestamp: now + 60 });
    expect([bad.status, stale.status, future.status, fresh.status]).toEqual([401, 401, 401, 200]);
  });

  it('refuses a guest with a clear message and never reaches the engine', async () => {
    const h = harness();
    const before = engine.calls.length;
    const guest = h.workspace.person({ id: 'U0GUEST', isRestricted: true });
    await guest.say('change my mobile');
    expect(guest.latestDm().text).toBe(slack.refusals.guest);
    const single = h.workspace.person({ id: 'U0SINGLE', isUltraRestricted: true });
    const answer = await single.command('mobile');
    expect(answer.json?.text).toBe(slack.refusals.guest);
    expect(engine.calls.length).toBe(before);
  });

  it('refuses Slack Connect strangers, and bots without a word', async () => {
    const h = harness();
    const stranger = h.workspace.person({ id: 'U0STRANGER', teamId: 'T0OTHER' });
    // A stranger in a shared channel reaches us through our own workspace's delivery.
    const answer = await h.workspace.signer.command({
      team_id: h.fake.teamId,
      user_id: stranger.id,
      command: '/account',
      text: 'info',
      channel_id: 'C0SHARED',
      trigger_id: h.fake.issueTrigger(stranger.id),
    });
    expect(answer.json?.text).toBe(slack.refusals.external);
    const bot = h.workspace.person({ id: 'U0OTHERBOT', isBot: true });
    const botAnswer = await bot.command('info');
    expect(botAnswer.status).toBe(200);
    expect(botAnswer.json?.text).toBeUndefined();
  });

  it('refuses a request signed for another workspace', async () => {
    const h = harness();
    const before = engine.calls.length;
    const outsider = h.workspace.person({ id: 'U0OUTSIDER', teamId: 'T0ELSEWHERE' });
    const answer = await outsider.command('mobile');
    expect(answer.status).toBe(200);
    expect(answer.json?.text).toBe(slack.refusals.otherWorkspace);
    expect(engine.calls.length).toBe(before);
  });

  it('handles a redelivered event once', async () => {
    const h = harness();
    const person = await linkedPerson('U0RETRY');
    const eventId = newEventId();
    const starts = engine.callsOf('start').length;
    await person.say('change my mobile', { eventId });
    await person.say('change my mobile', { eventId, retryNum: 1 });
    expect(engine.callsOf('start').length).toBe(starts + 1);
    expect(h.fake.dmMessages(person.id)).toHaveLength(1);
  });

  it('starts the flow a subcommand names, and answers help and unknown words', async () => {
    const h = harness();
    const person = await linkedPerson('U0CMD');
    await person.command('mobile');
    expect(engine.callsOf('start').at(-1)).toMatchObject({
      owner: `slack:${h.fake.teamId}:U0CMD`,
      machineId: 'changeContactMobile',
    });
    await person.command('help');
    expect(visibleText(person.latestDm().blocks)).toContain(slack.help.title);
    const unknown = await person.command('dance');
    expect(unknown.json?.text).toBe(slack.refusals.unknownSubcommand('dance'));
  });

  it('moves a command run in a channel to the DM and says nothing there', async () => {
    const h = harness();
    const person = await linkedPerson('U0CHAN');
    const answer = await person.command('help', { channel: 'C0GENERAL' });
    expect(answer.json?.text).toBe(slack.refusals.channelOnly);
    expect(h.fake.messagesIn('C0GENERAL')).toEqual([]);
    expect(person.latestDm().text).toBe(slack.help.title);
  });

  it('offers the menu for words it does not understand, and menu buttons start flows', async () => {
    const person = await linkedPerson('U0MENU');
    await person.say('good morning, what is the weather');
    const menu = person.latestDm();
    expect(menu.text).toBe(slack.menu.notUnderstood);
    findButton(menu.blocks, slack.menu.password);
    await person.click(slack.menu.email, menu);
    expect(engine.callsOf('start').at(-1)?.machineId).toBe('changeContactEmail');
  });

  it('ignores a replayed view submission', async () => {
    const h = harness();
    const person = await linkedPerson('U0REPLAY');
    engine.next = codeStep;
    await person.command('mobile');
    await person.click(slack.buttons.enterCode);
    const modal = person.modal();
    const payload = person.submission(modal, { Code: '123456' });
    const sends = engine.callsOf('send').length;
    const first = await h.workspace.signer.interaction(payload);
    await h.runtime.idle();
    const replay = await h.workspace.signer.interaction(payload, { retryNum: 1 });
    await h.runtime.idle();
    expect([first.status, replay.status]).toEqual([200, 200]);
    expect(engine.callsOf('send').length).toBe(sends + 1);
    expect(engine.callsOf('send').at(-1)?.event).toEqual({ type: 'SUBMIT_CODE', code: '123456' });
  });

  it('keeps a malformed code in the modal with a field error and sends nothing', async () => {
    const person = await linkedPerson('U0BADCODE');
    await person.command('mobile');
    await person.click(slack.buttons.enterCode);
    const sends = engine.callsOf('send').length;
    const answer = await person.submit({ Code: '12ab' });
    expect(answer.json).toEqual({ response_action: 'errors', errors: { code: slack.modal.codeFormat } });
    expect(person.hasModal()).toBe(true);
    expect(engine.callsOf('send').length).toBe(sends);
  });

  it('survives Slack API errors: an expired trigger opens no modal, a rate-limited update posts anew', async () => {
    const h = harness();
    const person = await linkedPerson('U0ERRORS');
    engine.next = codeStep;
    await person.command('mobile');
    const flowMessage = person.latestDm();
    h.fake.failNext('views.open', 'expired_trigger_id');
    const click = await person.click(slack.buttons.enterCode);
    expect(click.status).toBe(200);
    expect(person.hasModal()).toBe(false);
    expect(person.latestDm().text).toBe(slack.modal.notOpened);
    await person.click(slack.buttons.enterCode, flowMessage);
    expect(person.hasModal()).toBe(true);
    await person.closeModal();

    const before = person.dmMessages().length;
    h.fake.failNext('chat.update', 'ratelimited', { retryAfterSeconds: 0 });
    const resend = await person.click(slack.buttons.resend, flowMessage);
    expect(resend.status).toBe(200);
    expect(person.dmMessages().length).toBe(before + 1);
  });
});
