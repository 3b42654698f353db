import { describe, expect, it, vi } from 'vitest';
import type { CreateAccountInput } from '../../src/domain/account.js';
import { flowText, flowTimings, flows } from '../../src/messages/flows.js';
import { slack } from '../../src/messages/slack.js';
import { support } from '../../src/messages/support.js';
import type { DirectMessage } from '../../src/ports/direct-messenger.js';
import { noticeBlocks, noticeText } from '../../src/slack/direct-messenger.js';
import { hasButton, visibleText } from '../support/slack/blocks.js';
import { linkedPerson } from '../support/slack/people.js';
import { useSlackHarnessWithDeliveries } from '../support/slack/harness.js';
import { secretsInText } from '../support/slack/leak-scanner.js';
import { slackSignature } from '../support/slack/signer.js';
import type { SlackPerson } from '../support/slack/workspace.js';

/** Defences of security.md that had no test failing when they are removed. */
const { harness, deliveries } = useSlackHarnessWithDeliveries();

let users = 0;
async function employee(
  input: Partial<CreateAccountInput> = {},
): Promise<{ person: SlackPerson; accountId: string }> {
  const h = harness();
  if (users === 0) {
    h.scanner.addSource(() => [
      ...deliveries.sms.messages().flatMap((message) => secretsInText(message.text)),
      ...deliveries.smtp.messages.flatMap((mail) => secretsInText(mail.text)),
    ]);
  }
  users += 1;
  const id = `U0DEF${users}`;
  return linkedPerson(h, id, {
    loginEmail: `defended${users}@example.com`,
    accountName: `Defended ${users}`,
    ...input,
  });
}

describe('request signatures', () => {
  it('answers 401 to a v1= signature and to malformed signature headers, 200 to the real v0 one', async () => {
    const h = harness();
    const body = JSON.stringify(
      h.workspace.eventEnvelope({ type: 'app_home_opened', user: 'U0SIG', tab: 'home' }),
    );
    const now = Math.floor(Date.now() / 1000);
    const good = slackSignature('a3f1c9e0b7d2468a9c0e1f2b3d4c5a6e', now, body);
    const hex = good.slice('v0='.length);
    const forged = [
      `v1=${hex}`,
      hex,
      `v0=${hex.toUpperCase()}`,
      `v0=${hex.slice(0, -2)}`,
      `v0=${hex}00`,
      `v0=${'z'.repeat(64)}`,
      'v0=',
      '',
      `v0=${hex},v0=${hex}`,
    ];
    const statuses = [];
    for (const signature of forged) {
      statuses.push(
        (await h.workspace.signer.post(body, 'application/json', { signature, timestamp: now })).status,
      );
    }
    expect(statuses).toEqual(forged.map(() => 401));
    const real = await h.workspace.signer.post(body, 'application/json', { signature: good, timestamp: now });
    expect(real.status).toBe(200);
  });
});

describe('flow ownership', () => {
  it("a view submission carrying another user's flow id changes nothing in that flow", async () => {
    const h = harness();
    const { person: victim, accountId: victimAccount } = await employee();
    const { person: attacker } = await employee();
    await victim.say('change my mobile');
    await victim.click(slack.buttons.enterValue);
    const victimModal = victim.modal();
    const flowId = String(victimModal.view.private_metadata);
    const before = await h.engine.current(`slack:${h.fake.teamId}:${victim.id}`, flowId);
    const victimDm = visibleText(victim.latestDm().blocks);

    // The attacker's own signed submission, with the victim's flow id in private_metadata.
    const forged = victim.submission(victimModal, { 'New contact number': '+86 139 0013 9444' });
    const attackerUser = { id: attacker.id, username: attacker.user.name, name: attacker.user.name };
    const answer = await h.workspace.signer.interaction({
      ...forged,
      user: { ...attackerUser, team_id: h.fake.teamId },
      trigger_id: h.fake.issueTrigger(attacker.id),
    });
    await h.runtime.idle();
    expect(answer.status).toBe(200);

    const after = await h.engine.current(`slack:${h.fake.teamId}:${victim.id}`, flowId);
    expect(after).toEqual(before);
    expect(visibleText(victim.latestDm().blocks)).toBe(victimDm);
    // No code went to the number the attacker chose and the victim's account is untouched.
    expect(deliveries.sms.messages().filter((message) => message.to === '+8613900139444')).toEqual([]);
    expect((await h.application.stores.directory.getById(victimAccount))?.contactNumber).toBeNull();
    const audit = await h.application.stores.audit.recent(50);
    expect(
      audit.filter((entry) => entry.actor.endsWith(attacker.id) && entry.accountId === victimAccount),
    ).toEqual([]);

    // The victim's own submission still works: the flow was not disturbed.
    await victim.submit({ 'New contact number': '+86 139 0013 9555' });
    expect(visibleText(victim.latestDm().blocks)).not.toBe(victimDm);
  });
});

describe("a click on another person's message", () => {
  // A signed payload can still name any message: a replay of another person's click with the
  // user swapped, or an app that holds the signing secret. The click is the clicker's.
  it("Cancel on another person's flow message leaves that message and flow alone and answers the clicker", async () => {
    const h = harness();
    const { person: victim } = await employee();
    const { person: clicker } = await employee();
    await victim.say('change my mobile');
    const victimMessage = victim.latestDm();
    const shown = visibleText(victimMessage.blocks);
    const flowId = (await h.engine.active(`slack:${h.fake.teamId}:${victim.id}`))?.flowId ?? '';
    const updatesBefore = h.fake.calls.filter((call) => call.method === 'chat.update').length;

    await clicker.click(slack.buttons.cancel, victimMessage);

    expect(visibleText(victim.latestDm().blocks)).toBe(shown);
    expect(h.fake.calls.filter((call) => call.method === 'chat.update')).toHaveLength(updatesBefore);
    expect((await h.engine.current(`slack:${h.fake.teamId}:${victim.id}`, flowId)).status).toBe('active');
    expect(visibleText(clicker.latestDm().blocks)).toContain(slack.flowMessage.missing);
    // The victim's own Cancel still works in place.
    await victim.click(slack.buttons.cancel, victimMessage);
    expect(visibleText(victim.latestDm().blocks)).toContain(flows['flow.cancelled']);
  });

  it("Resume and Cancel-and-start on another person's prompt write nothing there; the clicker's flow shows in their own DM", async () => {
    const h = harness();
    const { person: victim } = await employee();
    const { person: clicker } = await employee();
    await victim.say('change my mobile');
    await victim.say('change my email');
    const prompt = structuredClone(victim.latestDm());
    const shown = visibleText(prompt.blocks);

    await clicker.click(slack.buttons.resume, prompt);
    await clicker.click(slack.buttons.cancelAndStart, prompt);

    expect(visibleText(h.fake.message(prompt.channel, prompt.ts)?.blocks ?? [])).toBe(shown);
    expect(victim.dmMessages().map((message) => visibleText(message.blocks))).not.toContain(
      slack.flowTitles.changeContactEmail,
    );
    const started = await h.engine.active(`slack:${h.fake.teamId}:${clicker.id}`);
    expect(started?.machineId).toBe('changeContactEmail');
    expect(clicker.latestDm().text).toContain(slack.flowTitles.changeContactEmail);
    // The prompt still works for its owner, in place.
    await victim.click(slack.buttons.resume, prompt);
    expect(hasButton(h.fake.message(prompt.channel, prompt.ts)?.blocks ?? [], slack.buttons.enterValue)).toBe(
      true,
    );
  });

  it("\"This wasn't me\" on another person's notice answers in the clicker's own DM, never in that thread", async () => {
    const h = harness();
    const { person: victim } = await employee();
    const { person: clicker } = await employee();
    const notice: DirectMessage = {
      kind: 'passwordChanged',
      owner: `slack:${h.fake.teamId}:${victim.id}`,
      accountId: null,
      flowId: 'flow-of-the-notice',
      detail: {},
    };
    await h.runtime.client.chat.postMessage({
      channel: victim.id,
      text: noticeText(notice),
      blocks: noticeBlocks(notice),
    });
    const victimNotice = victim.latestDm();
    await clicker.click(slack.notices.notMeButton, victimNotice);
    expect(victim.dmMessages()).toEqual([victimNotice]);
    expect(clicker.latestDm().text).toBe(support.notMe.done);
  });
});

describe('"forgot password" in Slack', () => {
  async function requestReset(person: SlackPerson, email: string) {
    const h = harness();
    await person.say('forgot password');
    await person.click(slack.buttons.continue);
    const from = h.fake.calls.length;
    const answer = await person.submit({ 'Login email': email });
    return {
      status: answer.status,
      ack: answer.body,
      shown: visibleText(person.latestDm().blocks),
      methods: h.fake.calls.slice(from).map((call) => call.method),
    };
  }

  it('answers with the same words and the same Slack work for known, unknown and locked accounts, before any lookup', async () => {
    const h = harness();
    const known = 'known-reset@example.com';
    await employee({ loginEmail: known });
    const locked = await employee({ loginEmail: 'locked-reset@example.com' });
    await h.application.stores.directory.setSelfServiceLock(locked.accountId, true, 'test');

    // Hold every login-email lookup back: an answer that waited for it would not come.
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const directory = h.application.stores.directory;
    const lookup = directory.getByLoginEmail.bind(directory);
    const held = vi.spyOn(directory, 'getByLoginEmail').mockImplementation(async (email) => {
      await gate;
      return lookup(email);
    });
    try {
      const answers = [];
      for (const email of [known, 'nobody-here@example.com', 'locked-reset@example.com']) {
        const { person } = await employee();
        answers.push(await requestReset(person, email));
      }
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.shown).toContain(flowText('reset.linkOnItsWay', flowTimings(harness().deps.config)));
      }
      expect(new Set(answers.map((answer) => answer.shown)).size).toBe(1);
      expect(new Set(answers.map((answer) => answer.ack)).size).toBe(1);
      expect(new Set(answers.map((answer) => answer.methods.join(','))).size).toBe(1);
      expect(held).toHaveBeenCalled();
    } finally {
      release();
    }
    await deliveries.smtp.waitForMail(known);
    held.mockRestore();
    expect(deliveries.smtp.messages.filter((mail) => mail.to.includes('locked-reset@example.com'))).toEqual(
      [],
    );
  });
});

describe('a 40,000-character DM', () => {
  it('is read only from its start: a request buried at the end starts nothing and gets the menu', async () => {
    const h = harness();
    const { person } = await employee();
    const started = (await h.application.stores.audit.recent(200)).filter(
      (entry) => entry.action === 'flow.started',
    ).length;
    const answer = await person.say(`${'x '.repeat(20_000)}change my mobile`);
    expect(answer.status).toBe(200);
    expect(visibleText(person.latestDm().blocks)).toContain(slack.menu.notUnderstood);
    const after = (await h.application.stores.audit.recent(200)).filter(
      (entry) => entry.action === 'flow.started',
    ).length;
    expect(after).toBe(started);
  });
});
