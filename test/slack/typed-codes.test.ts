import { describe, expect, it } from 'vitest';
import { flows } from '../../src/messages/flows.js';
import { slack } from '../../src/messages/slack.js';
import { visibleText } from '../support/slack/blocks.js';
import { useSlackHarnessWithDeliveries } from '../support/slack/harness.js';
import { nextLinkedPerson } from '../support/slack/people.js';
import type { SlackPerson } from '../support/slack/workspace.js';

const { harness, deliveries } = useSlackHarnessWithDeliveries();

let mobiles = 0;
/** A contact-number change up to its code modal; the code texted to the new number. */
async function codeModal(person: SlackPerson): Promise<string> {
  mobiles += 1;
  const mobile = `+8613900139${String(mobiles).padStart(3, '0')}`;
  await person.say('change my mobile');
  await person.click(slack.buttons.enterValue);
  await person.submit({ 'New contact number': mobile });
  const code = await deliveries.sms.code(mobile);
  await person.click(slack.buttons.enterCode);
  return code;
}

/** The code modal follows the rule the reset page follows (src/services/codes.ts), not one of its own. */
describe('a code typed in the Slack code modal', () => {
  it('is accepted with a dash or spaces, as pasted from a text', async () => {
    const h = harness();
    for (const typed of [
      (code: string) => `${code.slice(0, 3)}-${code.slice(3)}`,
      (code: string) => ` ${code} `,
    ]) {
      const person = await nextLinkedPerson(h, 'TYPED');
      const code = await codeModal(person);
      const answer = await person.submit({ Code: typed(code) });
      expect(answer.json?.response_action).not.toBe('errors');
      expect(visibleText(person.latestDm().blocks)).toContain(flows['change.saved']);
    }
  });

  it('refuses full-width digits in the modal without spending a try, as the reset page does', async () => {
    const h = harness();
    const person = await nextLinkedPerson(h, 'TYPED');
    const code = await codeModal(person);
    const fullWidth = [...code].map((digit) => String.fromCodePoint(0xff10 + Number(digit))).join('');
    for (let tries = 0; tries < 6; tries++) {
      const refused = await person.submit({ Code: fullWidth });
      expect(refused.json).toEqual({ response_action: 'errors', errors: { code: slack.modal.codeFormat } });
    }
    await person.submit({ Code: code });
    expect(visibleText(person.latestDm().blocks)).toContain(flows['change.saved']);
  });
});
