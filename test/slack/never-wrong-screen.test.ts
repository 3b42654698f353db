import { afterAll, describe, expect, it } from 'vitest';
import type { CreateAccountInput } from '../../src/domain/account.js';
import { flows } from '../../src/messages/flows.js';
import { slack } from '../../src/messages/slack.js';
import { noticeBlocks } from '../../src/slack/direct-messenger.js';
import { hasButton, visibleText } from '../support/slack/blocks.js';
import { linkedPerson } from '../support/slack/people.js';
import { useSlackHarness } from '../support/slack/harness.js';
import { secretsInText } from '../support/slack/leak-scanner.js';
import type { SlackPerson } from '../support/slack/workspace.js';
import { SmsCapture } from '../support/sms-capture.js';

let sms: SmsCapture;
const harness = useSlackHarness(async () => {
  sms = await SmsCapture.start();
  return { env: { SMS_WEBHOOK_URL: sms.url, SMS_WEBHOOK_SECRET: sms.secret } };
});
afterAll(async () => {
  await sms.close();
});

let scanning = false;
let users = 0;

async function employee(
  input: Partial<CreateAccountInput> = {},
): Promise<{ person: SlackPerson; accountId: string }> {
  const h = harness();
  if (!scanning) {
    scanning = true;
    h.scanner.addSource(() => sms.messages().flatMap((message) => secretsInText(message.text)));
  }
  users += 1;
  const id = `U0W${users}`;
  return linkedPerson(h, id, {
    loginEmail: `screen${users}@example.com`,
    accountName: `Screen ${users}`,
    ...input,
  });
}

/** A contact-number change waiting for the code sent to `number` (E.164). */
async function waitingForCode(person: SlackPerson, number: string): Promise<string> {
  await person.say('change my mobile');
  await person.click(slack.buttons.enterValue);
  await person.submit({ 'New contact number': number });
  return sms.code(number);
}

/**
 * The same code typed into `count` "Enter the code" modals and submitted at once: each modal
 * is its own view, so every submission reaches the flow (none is a replay of another).
 */
async function submitInParallel(person: SlackPerson, codes: string[]): Promise<void> {
  const h = harness();
  const payloads: Record<string, unknown>[] = [];
  for (const code of codes) {
    await person.click(slack.buttons.enterCode, person.dmMessages()[0]);
    const modal = person.modal();
    payloads.push(person.submission(modal, { Code: code }));
    h.fake.closeView(modal.id);
  }
  await Promise.all(payloads.map((payload) => h.workspace.signer.interaction(payload)));
  await h.workspace.settle();
}

/** Every text the flow's message was ever given, in order. */
function renderingsOf(person: SlackPerson): string[] {
  const h = harness();
  const message = person.dmMessages()[0];
  return h.fake
    .callsOf('chat.update')
    .filter((call) => call.args.ts === message?.ts && call.args.channel === message?.channel)
    .map((call) => visibleText(call.args.blocks, String(call.args.text ?? '')));
}

describe('a duplicate changes nothing the person sees', () => {
  it('20 parallel correct code submissions: the message ends on "Saved", never "already handled"', async () => {
    const h = harness();
    const { person, accountId } = await employee();
    const code = await waitingForCode(person, '+8613900139301');

    await submitInParallel(
      person,
      Array.from({ length: 20 }, () => code),
    );

    expect(person.dmMessages()).toHaveLength(1);
    const shown = visibleText(person.dmMessages()[0]?.blocks);
    expect(shown).toContain(flows['change.saved']);
    expect(shown).toContain(slack.flowTitles.changeContactMobile);
    for (const rendering of renderingsOf(person)) {
      expect(rendering).not.toContain(slack.flowMessage.alreadyHandled);
    }
    expect((await h.application.stores.directory.getById(accountId))?.contactNumber).toBe('+8613900139301');
  });

  it('parallel wrong codes while the flow waits: the message keeps its title and its buttons', async () => {
    const { person } = await employee();
    const code = await waitingForCode(person, '+8613900139302');
    const wrong = code === '000000' ? '111111' : '000000';

    await submitInParallel(person, [wrong, wrong, wrong]);

    const message = person.dmMessages()[0];
    const shown = visibleText(message?.blocks);
    expect(shown).toContain(slack.flowTitles.changeContactMobile);
    expect(shown).not.toContain(slack.flowMessage.alreadyHandled);
    expect(hasButton(message?.blocks, slack.buttons.enterCode)).toBe(true);
    for (const rendering of renderingsOf(person)) {
      expect(rendering).not.toContain(slack.flowMessage.alreadyHandled);
    }
  });
});

describe('after "This wasn\'t me"', () => {
  it("the open flow's message says it is locked, under its own title, and stays so", async () => {
    const h = harness();
    const { person } = await employee();
    await person.say('change my mobile');
    await person.click(slack.buttons.enterValue);
    const openModal = person.modal();
    await h.runtime.client.chat.postMessage({
      channel: person.id,
      text: slack.notices.passwordChanged,
      blocks: noticeBlocks({
        kind: 'passwordChanged',
        owner: `slack:${h.fake.teamId}:${person.id}`,
        accountId: null,
        flowId: 'elsewhere',
        detail: {},
      }),
    });
    await person.click(slack.notices.notMeButton, person.latestDm());

    const flowMessage = person.dmMessages()[0];
    const shown = visibleText(flowMessage?.blocks);
    expect(shown).toContain(slack.flowTitles.changeContactMobile);
    expect(shown).toContain(slack.flowMessage.locked);
    expect(shown).not.toContain(slack.flowMessage.missing);
    expect(hasButton(flowMessage?.blocks, slack.buttons.enterValue)).toBe(false);

    expect(person.modal().id).toBe(openModal.id);
    await person.submit({ 'New contact number': '+86 139 0013 9303' });
    const after = visibleText(person.dmMessages()[0]?.blocks);
    expect(after).toContain(slack.flowTitles.changeContactMobile);
    expect(after).toContain(slack.flowMessage.locked);
  });
});

describe('what the code step says is true', () => {
  it('after 5 wrong codes, an early "Resend code" stays on "ask for a new code" with the real wait', async () => {
    const { person } = await employee();
    const code = await waitingForCode(person, '+8613900139304');
    // Five different wrong codes: the same wrong code typed again is one try, not two.
    const wrongs = ['000000', '111111', '222222', '333333', '444444', '555555'].filter((w) => w !== code);

    const modalErrors: string[] = [];
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await person.click(slack.buttons.enterCode, person.dmMessages()[0]);
      const answer = await person.submit({ Code: wrongs[attempt - 1] ?? '' });
      modalErrors.push(Object.values((answer.json?.errors ?? {}) as Record<string, string>).join(' '));
      await person.closeModal();
    }
    expect(modalErrors[0]).toContain('4 tries left');
    expect(modalErrors[3]).toContain('1 try left');
    expect(visibleText(person.dmMessages()[0]?.blocks)).toContain('1 try left.');
    await person.click(slack.buttons.enterCode, person.dmMessages()[0]);
    await person.submit({ Code: wrongs[4] ?? '' });
    expect(visibleText(person.dmMessages()[0]?.blocks)).toContain(slack.flowMessage.codeNeedsResend);

    await person.click(slack.buttons.resend, person.dmMessages()[0]);

    const message = person.dmMessages()[0];
    const shown = visibleText(message?.blocks);
    expect(shown).toContain(slack.flowMessage.codeNeedsResend);
    expect(shown).toContain(slack.flowMessage.resendIn('1 minute'));
    expect(shown).not.toContain('tries left');
    expect(shown).not.toContain('Wait a minute');
    expect(hasButton(message?.blocks, slack.buttons.enterCode)).toBe(false);
    expect(sms.messages().filter((text) => text.to === '+8613900139304')).toHaveLength(1);
  });

  it('the example number in the mobile modal is one the app accepts', async () => {
    const { person } = await employee();
    await person.say('change my mobile');
    await person.click(slack.buttons.enterValue);
    const example = /\+[\d ]+\d/.exec(visibleText(person.modal().view.blocks))?.[0] ?? '';
    expect(example).not.toBe('');
    const answer = await person.submit({ 'New contact number': example });
    expect(answer.json?.response_action).toBeUndefined();
    expect(hasButton(person.dmMessages()[0]?.blocks, slack.buttons.enterCode)).toBe(true);
  });

  it('the step-up prompt says it is confirming who you are, not the new number', async () => {
    const { person } = await employee({ securityMobile: '+8613800138305' });
    await person.say('change my security mobile');
    const shown = visibleText(person.dmMessages()[0]?.blocks);
    expect(shown).toContain(slack.flowMessage.identityCodeSent('+86 138****8305'));
  });
});

describe('account information from the menu', () => {
  it('shows every field of the account, masked, like the Home tab', async () => {
    const { person, accountId } = await employee({
      contactNumber: '+8613800138306',
      securityMobile: '+8613800138307',
      verificationEmail: 'verify.306@example.com',
      contactEmail: 'billing.306@example.com',
    });
    await person.say('hi');
    await person.click(slack.menu.info);

    const shown = visibleText(person.dmMessages().at(-1)?.blocks);
    for (const label of Object.values(slack.fields).filter((text) => !text.startsWith('('))) {
      expect(shown).toContain(label);
    }
    expect(shown).toContain(accountId);
    expect(shown).toContain('+86 138****8306');
    expect(shown).toContain('+86 138****8307');
    expect(shown).not.toContain('13800138306');
    expect(shown).not.toContain('verify.306@example.com');
    expect(shown).toContain(slack.verificationStatus.unverified);
  });

  it('after a refused and then a successful save, the message shows only the save', async () => {
    const { person } = await employee();
    await person.say('hi');
    await person.click(slack.menu.info);
    await person.click(slack.basicInfo.editAddress);
    await person.click(slack.basicInfo.openForm);
    const address = {
      'Full name': 'Screen Example',
      'Company name': 'Example Ltd',
      'Country/region code': 'CN',
      'State or province': 'Zhejiang',
      City: 'Hangzhou',
      'Registered address': '969 Wenyi West Road',
    };
    const refused = await person.submit({ ...address, 'Postal code': 'not a code' });
    const problem = Object.values((refused.json?.errors ?? {}) as Record<string, string>)[0] ?? '';
    expect(problem).not.toBe('');
    expect(visibleText(person.dmMessages().at(-1)?.blocks)).toContain(problem);

    await person.submit({ ...address, 'Postal code': '311121' });

    const shown = visibleText(person.dmMessages().at(-1)?.blocks);
    expect(shown).toContain(flows['basicInfo.saved']);
    expect(shown).not.toContain(problem);
    expect(shown).toContain('311121');
  });
});

describe('a channel mention that asks for something specific', () => {
  it('"reset my password" opens the reset flow in the DM, not the generic menu', async () => {
    const h = harness();
    const { person } = await employee();
    await person.mention('C0GENERAL', 'reset my password');

    expect(h.fake.messagesIn('C0GENERAL')).toHaveLength(1);
    const dm = person.latestDm();
    const shown = visibleText(dm.blocks);
    expect(shown).toContain(slack.flowTitles.resetPassword);
    expect(shown).toContain(slack.flowMessage.forgotPassword);
    expect(hasButton(dm.blocks, slack.menu.mobile)).toBe(false);
  });
});

describe('account information on the Home tab and from /account info', () => {
  const address = {
    fullName: 'Home Example',
    companyName: 'Example Home Ltd',
    region: 'CN',
    state: 'Zhejiang',
    city: 'Hangzhou',
    address: '1 Home Road',
    postalCode: '311122',
  };

  it('the Home tab shows the contact address with the other SPEC §2 fields', async () => {
    const { person, accountId } = await employee({ contactNumber: '+8613800138308' });
    await harness().application.stores.directory.update(accountId, { contactAddress: address });
    await person.openHome();

    const shown = visibleText(person.home().view.blocks);
    expect(shown).toContain(slack.fields.contactAddress);
    for (const part of Object.values(address)) expect(shown).toContain(part);
    expect(shown).toContain('+86 138****8308');
    expect(shown).not.toContain('13800138308');
  });

  it('/account info shows the contact address, or says it is not set', async () => {
    const { person } = await employee();
    await person.command('info');

    const shown = visibleText(person.dmMessages().at(-1)?.blocks);
    expect(shown).toContain(slack.fields.contactAddress);
    expect(shown).toContain(slack.home.notSet);
  });
});
