import { describe, expect, it } from 'vitest';
import { common } from '../../src/messages/common.js';
import { slack } from '../../src/messages/slack.js';
import { useSlackHarness, type SlackHarness } from '../support/slack/harness.js';

const harness = useSlackHarness({});

async function submitPassport(h: SlackHarness, id: string, documentNumber: string) {
  const account = await h.application.stores.directory.create({
    loginEmail: `${id.toLowerCase()}@example.com`,
    accountName: id,
  });
  await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, id);
  const person = h.workspace.person({ id, email: account.loginEmail });
  await person.say('verify my identity');
  await person.click(slack.identity.individual);
  await person.click(slack.identity.acknowledge);
  await person.click(slack.identity.openForm);
  const response = await person.submit({
    'Document type': slack.identity.documentTypes.passport,
    'Full legal name': `Holder ${id}`,
    'Document number': documentNumber,
    'Issuing country/region code': 'CN',
  });
  return { response, accountId: account.accountId };
}

describe('identity submission with a document number another account uses', () => {
  it('is refused with the generic needs-support words, never saying the number is registered', async () => {
    const h = harness();
    h.scanner.add('document', 'E98765432');
    const first = await submitPassport(h, 'U0DOCFIRST', 'E98765432');
    expect(first.response.json?.response_action).toBeUndefined();

    const second = await submitPassport(h, 'U0DOCSECOND', 'E98765432');
    expect(second.response.json).toEqual({
      response_action: 'errors',
      errors: { documentNumber: common.needsSupport },
    });
    expect(JSON.stringify(second.response.json)).not.toMatch(/another account|already/i);
    expect((await h.application.stores.directory.getById(second.accountId))?.verification.status).toBe(
      'unverified',
    );
  });
});
