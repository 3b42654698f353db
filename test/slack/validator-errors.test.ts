import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { editBasicInfoMachine } from '../../machines/edit-basic-info.js';
import { childMachines, flowMachines } from '../../machines/index.js';
import { SnapshotCodec } from '../../src/engine/snapshot-codec.js';
import { engine as engineMessages } from '../../src/messages/engine.js';
import { flowTimings } from '../../src/messages/flows.js';
import { slack } from '../../src/messages/slack.js';
import { flowMessage } from '../../src/slack/views/flow-message.js';
import { fieldErrorText, validation } from '../../src/messages/validation.js';
import { web } from '../../src/messages/web.js';
import { visibleText } from '../support/slack/blocks.js';
import { useSlackHarness, type SlackHarness } from '../support/slack/harness.js';
import { changePasswordPage } from '../support/slack/password-page.js';
import { dumpValues, keysUnder } from '../support/redis.js';
import { SmsCapture } from '../support/sms-capture.js';
import { readLink, SmtpCapture } from '../support/smtp-capture.js';
import { HttpClient } from '../web/http-client.js';
import { slackViews } from '../../src/slack/flows/index.js';

let smtp: SmtpCapture;
let sms: SmsCapture;
const harness = useSlackHarness(async () => {
  smtp = await SmtpCapture.start();
  sms = await SmsCapture.start();
  return {
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      SMTP_URL: smtp.url,
      SMS_WEBHOOK_URL: sms.url,
      SMS_WEBHOOK_SECRET: sms.secret,
    },
  };
});
afterAll(async () => {
  await smtp.close();
  await sms.close();
});

let base: string;
beforeAll(async () => {
  const listening = await harness().application.web.listen();
  base = `http://127.0.0.1:${listening.port}`;
});

let people = 0;
async function linkedPerson(h: SlackHarness, extra: { securityMobile?: string; passwordHash?: string } = {}) {
  people += 1;
  const id = `U0VALIDATE${people}`;
  const account = await h.application.stores.directory.create({
    loginEmail: `validate${people}@example.com`,
    accountName: `Validate ${people}`,
    ...extra,
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
        views: slackViews,
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

describe("the change-password page's refusals are catalog keys", () => {
  /** Steps up for a change-password page and opens it in a browser-like client. */
  async function openChangePage(h: SlackHarness) {
    const mobile = `+86138001377${String(people + 10).padStart(2, '0')}`;
    const linked = await linkedPerson(h, {
      securityMobile: mobile,
      passwordHash: await h.application.services.credentials.hash('Right-pass-1!'),
    });
    const { url } = await changePasswordPage(linked.person, () => sms.code(mobile));
    const client = new HttpClient(base);
    await client.get(new URL(url).pathname);
    const submit = async (current: string, password: string, confirmation: string) => {
      const page = await client.post('/password', {
        _csrf: await client.csrf('/password'),
        current,
        password,
        confirmation,
      });
      return page.text();
    };
    return { ...linked, submit };
  }

  it('stores a wrong current password and differing new ones as keys; the page says their sentences', async () => {
    const h = harness();
    const { owner, submit } = await openChangePage(h);

    const wrongCurrent = engineMessages.wrongCurrentPassword(4);
    expect(await submit('Wrong-pass-1!', 'New-pass-1?', 'New-pass-1?')).toContain(wrongCurrent);
    expect(await storedSnapshot(h, owner)).toContain(
      '"errors":[{"key":"password.wrongCurrent","params":{"attemptsLeft":4}}]',
    );

    expect(await submit('Right-pass-1!', 'New-pass-1?', 'New-pass-2?')).toContain(
      engineMessages.passwordsDiffer,
    );
    expect(await storedSnapshot(h, owner)).toContain('"errors":[{"key":"password.confirmationDiffers"}]');

    const stored = await everythingInRedis(h);
    expect(stored).not.toContain('tries left');
    expect(stored).not.toContain(engineMessages.passwordsDiffer);
  });

  it('keeps a page open over the upgrade: a stored sentence becomes its key and the page still saves', async () => {
    const h = harness();
    const { owner, submit } = await openChangePage(h);
    await submit('Right-pass-1!', 'New-pass-1?', 'New-pass-2?');
    const flows = h.application.stores.flowSessions;
    const flowId = await flows.active(owner);
    if (flowId === null) throw new Error('no active flow');
    const read = await flows.get(owner, flowId);
    if (read.status !== 'found') throw new Error('the flow is not stored');
    const codec = new SnapshotCodec(
      [...flowMachines, ...childMachines].map(({ machine }) => machine),
      h.deps.config.flows,
    );
    const decoded = codec.decode(read.envelope.machineId, read.envelope.snapshot);
    if (decoded === null) throw new Error('the flow does not decode');
    // As version 2 kept the page's answer: the sentence itself.
    const context = decoded.state.context as Record<string, unknown>;
    context.pageAnswer = { outcome: 'refused', errors: [engineMessages.passwordsDiffer] };
    await flows.compareAndSet(owner, flowId, read.envelope.rev, {
      snapshot: decoded,
      version: 2,
    });

    const result = await h.engine.current(owner, flowId);
    if (result.status !== 'active' || result.view?.view !== 'openPasswordPage')
      throw new Error('the flow did not restore');
    expect(result.view.context.pageAnswer).toEqual({
      outcome: 'refused',
      errors: [{ key: 'password.confirmationDiffers' }],
    });
    expect(await submit('Right-pass-1!', 'New-pass-1?', 'New-pass-1?')).toContain(web.change.done);
  });
});
