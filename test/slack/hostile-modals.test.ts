import { describe, expect, it } from 'vitest';
import { flowText, flowTimings } from '../../src/messages/flows.js';
import { slack } from '../../src/messages/slack.js';
import { inputs, visibleText } from '../support/slack/blocks.js';
import { useSlackHarnessWithDeliveries } from '../support/slack/harness.js';
import { nextLinkedPerson } from '../support/slack/people.js';
import type { SlackPerson } from '../support/slack/workspace.js';

const { harness } = useSlackHarnessWithDeliveries();

const TEXT_INPUTS = ['plain_text_input', 'email_text_input', 'number_input', 'url_text_input'];

/** The basic-info form of one section, from the menu. */
const basicInfoForm = (section: string) => async (person: SlackPerson) => {
  await person.say('hi');
  await person.click(slack.menu.info);
  await person.click(section);
  await person.click(slack.basicInfo.openForm);
};

/** The identity form for one kind of submitter. */
const identityForm = (kind: string) => async (person: SlackPerson) => {
  await person.say('verify my identity');
  await person.click(kind);
  await person.click(slack.identity.acknowledge);
  await person.click(slack.identity.openForm);
};

/** How a person reaches each of the app's form modals. */
const OPEN: Record<string, (person: SlackPerson) => Promise<void>> = {
  'new contact number': async (person) => {
    await person.say('change my mobile');
    await person.click(slack.buttons.enterValue);
  },
  'new contact email': async (person) => {
    await person.say('change my contact email');
    await person.click(slack.buttons.enterValue);
  },
  'account name': basicInfoForm(slack.basicInfo.editName),
  'contact address': basicInfoForm(slack.basicInfo.editAddress),
  'identity, individual': identityForm(slack.identity.individual),
  'identity, organization': identityForm(slack.identity.organization),
  code: async (person) => {
    await person.say('change my mobile');
    await person.click(slack.buttons.enterValue);
    await person.submit({ 'New contact number': '+86 139 0013 9001' });
    await person.click(slack.buttons.enterCode);
  },
};

const HOSTILE: Record<string, string> = {
  '100,000 characters': 'x'.repeat(100_000),
  'a right-to-left override': 'Ada\u202eecalevoL 1',
  'a zero-width space': 'ada\u200b@example.com',
  'a NUL': 'a\u0000b',
};

describe('hostile values in every form modal', () => {
  for (const [modal, open] of Object.entries(OPEN)) {
    it(`${modal}: refused field by field within the window, nothing saved`, async () => {
      const h = harness();
      const person = await nextLinkedPerson(h, 'HOSTILE');
      const before = await h.application.stores.directory.getBySlackUser(h.fake.teamId, person.id);
      for (const [what, value] of Object.entries(HOSTILE)) {
        await open(person);
        const fields = inputs(person.modal().view.blocks).filter((input) => TEXT_INPUTS.includes(input.type));
        const answer = await person.submit(Object.fromEntries(fields.map((field) => [field.label, value])));
        expect(answer.status, what).toBe(200);
        expect(h.workspace.signer.lastAckMs, what).toBeLessThan(3_000);
        expect(answer.json?.response_action, what).toBe('errors');
        const errors = Object.values((answer.json?.errors ?? {}) as Record<string, string>);
        expect(errors.length, what).toBeGreaterThan(0);
        expect(errors.join('\n'), what).not.toContain(value.slice(0, 20));
        h.fake.closeView(person.modal().id);
        await person.say('cancel');
      }
      const after = await h.application.stores.directory.getBySlackUser(h.fake.teamId, person.id);
      expect(after).toEqual(before);
    });
  }

  it('the login email of "forgot password" gets the one same answer for any of them', async () => {
    const h = harness();
    const person = await nextLinkedPerson(h, 'HOSTILE');
    for (const [what, value] of Object.entries(HOSTILE)) {
      await person.say('forgot password');
      await person.click(slack.buttons.continue);
      const answer = await person.submit({ 'Login email': value });
      expect(h.workspace.signer.lastAckMs, what).toBeLessThan(3_000);
      expect(answer.json?.response_action, what).toBeUndefined();
      expect(visibleText(person.latestDm().blocks), what).toContain(
        flowText('reset.linkOnItsWay', flowTimings(h.deps.config)),
      );
    }
  });
});
