import { beforeAll, describe, expect, it } from 'vitest';
import { slack } from '../../src/messages/slack.js';
import { ModalCallbacks } from '../../src/slack/action-ids.js';
import { capturedLogger } from '../support/log-capture.js';
import { useSlackHarness } from '../support/slack/harness.js';
import { StubEngine } from '../support/slack/stub-engine.js';

const engine = new StubEngine();
const { logger, lines: logLines } = capturedLogger();
const harness = useSlackHarness({ engine: () => engine, logger });

/** Typed into every malformed payload: it must never reach a log line. */
const MARKER = 'MARKER-4711-do-not-log';
const USER = { id: 'U0MALFORMED', username: 'm', name: 'm', team_id: 'T0TEST' };

type Json = Record<string, unknown>;

// A full member: without the refusal at the door, these payloads reach Bolt and the listeners.
beforeAll(() => {
  harness().workspace.person({ id: USER.id });
});

function submission(overrides: Json = {}, view: Json = {}): Json {
  return {
    type: 'view_submission',
    team: { id: 'T0TEST', domain: 'test' },
    user: USER,
    api_app_id: 'A0TEST',
    trigger_id: '1.2.3',
    view: {
      id: 'V0MALFORMED',
      hash: '1.abc',
      callback_id: ModalCallbacks.value,
      private_metadata: 'flowMalformed01',
      state: { values: { value: { value: { type: 'plain_text_input', value: MARKER } } } },
      ...view,
    },
    ...overrides,
  };
}

function click(overrides: Json = {}): Json {
  return {
    type: 'block_actions',
    team: { id: 'T0TEST', domain: 'test' },
    user: USER,
    api_app_id: 'A0TEST',
    trigger_id: '1.2.3',
    container: { type: 'message', channel_id: 'D0MALFORMED', message_ts: '1.2' },
    actions: [{ type: 'button', action_id: 'flow_cancel', block_id: 'b', value: MARKER, action_ts: '1.2' }],
    ...overrides,
  };
}

function command(fields: Record<string, string>, without: string[] = []): Record<string, string> {
  const all: Record<string, string> = {
    token: 'legacy',
    team_id: 'T0TEST',
    team_domain: 'test',
    channel_id: 'D0MALFORMED',
    user_id: 'U0MALFORMED',
    user_name: 'm',
    command: '/account',
    text: MARKER,
    trigger_id: '1.2.3',
    ...fields,
  };
  for (const key of without) delete all[key];
  return all;
}

describe('payloads that are not what Slack sends', () => {
  const interactions: [string, Json][] = [
    ['a view_submission without a view', submission({ view: undefined })],
    ['a view_submission without a user', submission({ user: undefined })],
    ['state.values missing', submission({}, { state: {} })],
    ['state.values null', submission({}, { state: { values: null } })],
    [
      'a typed value that is not a string',
      submission({}, { state: { values: { value: { value: { type: 'plain_text_input', value: 4711 } } } } }),
    ],
    [
      'a value that is not a string under block and action ids that are the sender’s words',
      submission(
        {},
        { state: { values: { [MARKER]: { [MARKER]: { type: 'plain_text_input', value: 1 } } } } },
      ),
    ],
    ['private_metadata that is not a flow id', submission({}, { private_metadata: `{"state":"${MARKER}"}` })],
    ['a modal the app never opened', submission({}, { callback_id: 'someone_elses_modal' })],
    ['actions that are not an array', click({ actions: { action_id: 'flow_cancel', value: MARKER } })],
    [
      'an action value that is not a string',
      click({ actions: [{ type: 'button', action_id: 'flow_cancel', value: [MARKER] }] }),
    ],
    ['a click without a user', click({ user: null })],
    [
      'a payload kind the app does not handle',
      { type: 'dialog_submission', user: USER, submission: { x: MARKER } },
    ],
  ];
  for (const [what, payload] of interactions) {
    it(`answers 400 at once to ${what}, engine untouched, body not logged`, async () => {
      const h = harness();
      const before = engine.calls.length;
      const started = Date.now();
      const response = await h.workspace.signer.interaction(payload);
      const elapsed = Date.now() - started;
      expect(response.status).toBe(400);
      expect(elapsed).toBeLessThan(1000);
      await h.runtime.idle();
      expect(engine.calls.length).toBe(before);
      expect(logLines.some((line) => line.includes('malformed slack payload'))).toBe(true);
      expect(logLines.join('')).not.toContain(MARKER);
    });
  }

  const commands: [string, Record<string, string>][] = [
    ['a command without text', command({}, ['text'])],
    ['a command without channel_id', command({}, ['channel_id'])],
    ['a command without user_id', command({}, ['user_id'])],
  ];
  for (const [what, fields] of commands) {
    it(`answers 400 at once to ${what}`, async () => {
      const h = harness();
      const before = engine.calls.length;
      const response = await h.workspace.signer.command(fields);
      expect(response.status).toBe(400);
      expect(engine.calls.length).toBe(before);
      expect(logLines.join('')).not.toContain(MARKER);
    });
  }

  it('answers 400 to a command whose text arrives twice (not a string)', async () => {
    const h = harness();
    const body = `${new URLSearchParams(command({})).toString()}&text=${MARKER}`;
    const response = await h.workspace.signer.post(body, 'application/x-www-form-urlencoded');
    expect(response.status).toBe(400);
  });

  it('answers 400 to an event whose user is not a Slack id', async () => {
    const h = harness();
    const envelope = h.workspace.eventEnvelope({
      type: 'app_home_opened',
      user: { id: MARKER },
      tab: 'home',
    });
    const response = await h.workspace.signer.event(envelope);
    expect(response.status).toBe(400);
    expect(logLines.join('')).not.toContain(MARKER);
  });

  it('still refuses an unsigned malformed payload with 401, not 400', async () => {
    const h = harness();
    const body = new URLSearchParams({ payload: JSON.stringify(submission({ view: undefined })) }).toString();
    const response = await h.workspace.signer.post(body, 'application/x-www-form-urlencoded', {
      signature: 'v0=deadbeef',
    });
    expect(response.status).toBe(401);
  });

  it('lets a well-formed submission through to the listener', async () => {
    const h = harness();
    const response = await h.workspace.signer.interaction(submission());
    expect(response.status).toBe(200);
    await h.runtime.idle();
    expect(engine.callsOf('send').at(-1)?.flowId).toBe('flowMalformed01');
  });

  it('answers a start button naming no flow with the menu, engine untouched', async () => {
    const h = harness();
    const before = engine.calls.length;
    const response = await h.workspace.signer.interaction(
      click({ actions: [{ type: 'button', action_id: 'flow_start:x', block_id: 'b', value: MARKER }] }),
    );
    expect(response.status).toBe(200);
    await h.runtime.idle();
    expect(engine.calls.length).toBe(before);
    expect(h.fake.dmMessages(USER.id).at(-1)?.text).toBe(slack.menu.notUnderstood);
    expect(logLines.join('')).not.toContain(MARKER);
  });
});
