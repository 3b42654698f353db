import { afterAll, describe, expect, it } from 'vitest';
import { flows } from '../../src/messages/flows.js';
import { slack } from '../../src/messages/slack.js';
import type { AccountDirectory } from '../../src/ports/account-directory.js';
import { hasButton, visibleText } from '../support/slack/blocks.js';
import { useSlackHarness } from '../support/slack/harness.js';
import { secretsInText } from '../support/slack/leak-scanner.js';
import { SmsCapture } from '../support/sms-capture.js';

let sms: SmsCapture;
const harness = useSlackHarness(async () => {
  sms = await SmsCapture.start();
  return { env: { SMS_WEBHOOK_URL: sms.url, SMS_WEBHOOK_SECRET: sms.secret } };
});
afterAll(async () => {
  await sms.close();
});

async function waitForSms(to: string, count = 1) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = sms.messages().filter((message) => message.to === to);
    if (found.length >= count) return found[count - 1] as { text: string };
    if (Date.now() > deadline) throw new Error(`no SMS number ${count} to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function codeIn(text: string): string {
  const code = /(?<!\d)(\d{6})(?!\d)/.exec(text)?.[1];
  if (!code) throw new Error('no code in the text');
  return code;
}

describe('SPEC 3.3 change contact mobile, through Slack only', () => {
  it('asks for the number, sends a code to it, and saves it once the code is entered', async () => {
    const h = harness();
    h.scanner.addSource(() => sms.messages().flatMap((message) => secretsInText(message.text)));
    const account = await h.application.stores.directory.create({
      loginEmail: 'dana@example.com',
      accountName: 'Dana',
    });
    await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, 'U0DANA');
    const dana = h.workspace.person({ id: 'U0DANA', email: 'dana@example.com' });

    await dana.say('change my mobile');
    expect(dana.dmMessages()).toHaveLength(1);
    await dana.click(slack.buttons.enterValue);
    await dana.submit({ 'New contact number': '+86 139 0013 9000' });
    expect(dana.hasModal()).toBe(false);
    expect(dana.dmMessages()).toHaveLength(1);
    expect(hasButton(dana.latestDm().blocks, slack.buttons.enterCode)).toBe(true);

    const code = codeIn((await waitForSms('+8613900139000')).text);
    await dana.click(slack.buttons.enterCode);
    await dana.submit({ Code: code });

    expect(dana.dmMessages()).toHaveLength(1);
    expect(visibleText(dana.latestDm().blocks)).toContain(flows['change.saved']);
    expect((await h.application.stores.directory.getById(account.accountId))?.contactNumber).toBe(
      '+8613900139000',
    );
  });

  it('reads the account once for the submitted number and once for its code', async () => {
    const h = harness();
    const { directory } = h.application.stores;
    const account = await directory.create({ loginEmail: 'reads@example.com', accountName: 'Reads' });
    await directory.linkSlackUser(account.accountId, h.fake.teamId, 'U0READS');
    const person = h.workspace.person({ id: 'U0READS', email: 'reads@example.com' });
    await person.say('change my mobile');
    await person.click(slack.buttons.enterValue);

    const valueReads = await readsDuring(directory, () =>
      person.submit({ 'New contact number': '+86 139 0013 9011' }),
    );
    expect(person.hasModal()).toBe(false);
    expect(valueReads).toHaveLength(1);

    const code = codeIn((await waitForSms('+8613900139011')).text);
    await person.click(slack.buttons.enterCode);
    expect(await readsDuring(directory, () => person.submit({ Code: code }))).toHaveLength(1);
    expect((await directory.getById(account.accountId))?.contactNumber).toBe('+8613900139011');
  });

  it('reads the account once to start a flow, from the DM or a menu button, with a code sent or not', async () => {
    const h = harness();
    const { directory } = h.application.stores;
    const account = await directory.create({
      loginEmail: 'starts@example.com',
      accountName: 'Starts',
      securityMobile: '+8613800138111',
    });
    await directory.linkSlackUser(account.accountId, h.fake.teamId, 'U0STARTS');
    const person = h.workspace.person({ id: 'U0STARTS', email: 'starts@example.com' });

    expect(await readsDuring(directory, () => person.say('change my mobile'))).toHaveLength(1);
    expect(hasButton(person.latestDm().blocks, slack.buttons.enterValue)).toBe(true);
    await person.click(slack.buttons.cancel);

    await person.say('menu');
    // A step-up flow sends its code while it starts: the effect finds the account already read.
    expect(await readsDuring(directory, () => person.click(slack.menu.securityMobile))).toHaveLength(1);
    await waitForSms('+8613800138111');
    expect(hasButton(person.latestDm().blocks, slack.buttons.enterCode)).toBe(true);
  });
});

const READS = ['getById', 'getBySlackUser', 'getByLoginEmail'] as const;

/** The account reads the real directory answers while `work` runs. */
async function readsDuring(directory: AccountDirectory, work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const originals = READS.map((name) => [name, directory[name]] as const);
  for (const [name, original] of originals) {
    Object.assign(directory, {
      [name]: (...args: never[]) => {
        seen.push(name);
        return (original as (...a: never[]) => unknown).apply(directory, args);
      },
    });
  }
  try {
    await work();
  } finally {
    for (const [name, original] of originals) Object.assign(directory, { [name]: original });
  }
  return seen;
}
