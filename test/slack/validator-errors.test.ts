import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { editBasicInfoMachine } from '../../machines/edit-basic-info.js';
import { flowTimings } from '../../src/messages/flows.js';
import { slack } from '../../src/messages/slack.js';
import { flowMessage } from '../../src/slack/views/flow-message.js';
import { fieldErrorText, validation } from '../../src/messages/validation.js';
import { visibleText } from '../support/slack/blocks.js';
import { useSlackHarness, type SlackHarness } from '../support/slack/harness.js';
import { dumpValues, keysUnder } from '../support/redis.js';
import { readLink, SmtpCapture } from '../support/smtp-capture.js';
import { HttpClient } from '../web/http-client.js';

let smtp: SmtpCapture;
const harness = useSlackHarness(async () => {
  smtp = await SmtpCapture.start();
  return { env: { PORT: '0', HOST: '127.0.0.1', SMTP_URL: smtp.url } };
});
afterAll(async () => {
  await smtp.close();
});

let base: string;
beforeAll(async () => {
  const listening = await harness().application.web.listen();
  base = `http://127.0.0.1:${listening.port}`;
});

let people = 0;
async function linkedPerson(h: SlackHarness) {
  people += 1;
  const id = `U0VALIDATE${people}`;
  const account = await h.application.stores.directory.create({
    loginEmail: `validate${people}@example.com`,
    accountName: `Validate ${people}`,
  });
  await h.application.stores.directory.linkSlackUser(account.accountId, h.fake.teamId, id);
  return {
    person: h.workspace.person({ id, email: account.loginEmail }),
    accountId: account.accountId,
    email: account.loginEmail ?? '',
    owner: `slack:${h.fake.teamId}:${id}`,
  };
}

/** The stored snapshot of the owner's active flow, as JSON text. */
async function storedSnapshot(h: SlackHarness, owner: string): Promise<string> {
  const flows = h.application.stores.flowSessions;
  const flowId = await flows.active(owner);
  if (flowId === null) throw new Error('no active flow');
  const read = await flows.get(owner, flowId);
  if (read.status !== 'found') throw new Error('the flow is not stored');
  return JSON.stringify(read.envelope.snapshot);
}

/** Every key and value the application holds in Redis. */
async function everythingInRedis(h: SlackHarness): Promise<string> {
  const redis = h.application.stores.redis;
  if (!redis) throw new Error('the test expects Redis stores');
  return dumpValues(redis, await keysUnder(redis, h.deps.config.redis.keyPrefix));
}

describe('validator errors are catalog keys', () => {
  it('renders one key as the same sentence in a Slack modal, the flow message and on the web page', async () => {
    const h = harness();
    const { person, owner } = await linkedPerson(h);
    const sentence = fieldErrorText({ key: 'email.invalid' });
    expect(sentence).toBe(validation.email.invalid);

    await person.say('email');
    await person.click(slack.buttons.enterValue);
    const refused = await person.submit({ [slack.modal.valueLabel.contactEmail]: 'name@example' });
    expect(refused.json).toEqual({ response_action: 'errors', errors: { value: sentence } });
    expect(visibleText(person.latestDm().blocks)).toContain(sentence);

    const client = new HttpClient(base);
    const page = await client.post('/forgot', { _csrf: await client.csrf('/forgot'), email: 'name@example' });
    expect(page.status).toBe(422);
    expect(await page.text()).toContain(sentence);

    const snapshot = await storedSnapshot(h, owner);
    expect(snapshot).toContain('"fieldError":{"key":"email.invalid"}');
    expect(await everythingInRedis(h)).not.toContain(sentence);
  });

  it('keeps the values of a sentence with the key: the region in a postal code error', async () => {
    const h = harness();
    const { person, owner } = await linkedPerson(h);
    await person.say('hi');
    await person.click(slack.menu.info);
    await person.click(slack.basicInfo.editAddress);
    await person.click(slack.basicInfo.openForm);
    const refused = await person.submit({
      'Full name': 'Employee Example',
      'Company name': 'Example Ltd',
      'Country/region code': 'GB',
      'State or province': 'London',
      City: 'London',
      'Registered address': '1 Example Road',
      'Postal code': '12345',
    });
    const sentence = validation.postalCode.forRegion('United Kingdom', 'SW1A 1AA');
    expect(refused.json).toEqual({ response_action: 'errors', errors: { postalCode: sentence } });

    expect(await storedSnapshot(h, owner)).toContain(
      '"fieldErrors":{"postalCode":{"key":"postalCode.forRegion",' +
        '"params":{"regionName":"United Kingdom","example":"SW1A 1AA"}}}',
    );
    expect(await everythingInRedis(h)).not.toContain('not a valid postal code');
  });

  it('shows a sensible refusal for a flow stored with sentences before validators answered keys', async () => {
    const h = harness();
    const { person, owner, accountId } = await linkedPerson(h);
    await person.say('hi');
    await person.click(slack.menu.info);
    await person.click(slack.basicInfo.editAddress);
    const flows = h.application.stores.flowSessions;
    const flowId = await flows.active(owner);
    if (flowId === null) throw new Error('no active flow');
    const read = await flows.get(owner, flowId);
    if (read.status !== 'found') throw new Error('the flow is not stored');
    // The envelope as the release before wrote it: XState's persisted snapshot, sentences in it.
    const actor = createActor(editBasicInfoMachine, {
      input: { now: h.clock.now(), idleTimeoutMs: 3_600_000 },
    }).start();
    actor.send({ type: 'EDIT', section: 'address', now: h.clock.now() });
    const state = JSON.parse(JSON.stringify(actor.getPersistedSnapshot())) as {
      context: Record<string, unknown>;
    };
    actor.stop();
    state.context.fieldErrors = {
      city: validation.address.city,
      postalCode: 'This is not a valid postal code for Narnia. It should look like N4 RN1.',
    };
    await flows.compareAndSet(owner, flowId, read.envelope.rev, {
      snapshot: { accountId, slackProfileEmail: null, state },
      version: 1,
    });

    const result = await h.engine.current(owner, flowId);
    if (result.status !== 'active' || result.view === null) throw new Error('the flow did not restore');
    expect(result.view.view === 'editBasicInfo' && result.view.context.fieldErrors).toEqual({
      city: { key: 'address.city' },
      postalCode: { key: 'invalid' },
    });
    const shown = visibleText(
      flowMessage({
        machineId: 'editBasicInfo',
        result,
        now: h.clock.now(),
        timings: flowTimings(h.deps.config),
      }).blocks,
    );
    expect(shown).toContain(validation.address.city);
    expect(shown).toContain(validation.invalid);
    expect(shown).not.toContain('Narnia');
  });
  it('stores the password rules a reset page refused as keys, and the page says their sentences', async () => {
    const h = harness();
    const { person, email } = await linkedPerson(h);
    await person.say('forgot password');
    await person.click(slack.buttons.continue);
    await person.submit({ 'Login email': email });
    const link = new URL(readLink(await smtp.waitForMail(email)));
    const client = new HttpClient(base);
    await client.get(link.pathname);
    const refused = await client.post('/reset/password', {
      _csrf: await client.csrf('/reset'),
      password: 'a1!',
      confirmation: 'a1!',
    });
    expect(refused.status).toBe(422);
    const tooShort = /Length: your password is too short\./;
    expect(await refused.text()).toMatch(tooShort);
    const stored = await everythingInRedis(h);
    expect(stored).toContain('"key":"password.tooShort"');
    expect(stored).not.toMatch(tooShort);
  });
});
