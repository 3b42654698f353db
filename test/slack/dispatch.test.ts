import { beforeAll, describe, expect, it } from 'vitest';
import { slackFlows } from '../../src/slack/flows/index.js';
import { flowControlsSlack } from '../../src/slack/listeners/actions/flow-buttons.js';
import { notMeSlack } from '../../src/slack/listeners/actions/not-me.js';
import { reviewSlack } from '../../src/slack/listeners/actions/review.js';
import { capturedLogger } from '../support/log-capture.js';
import { useSlackHarness } from '../support/slack/harness.js';
import { StubEngine } from '../support/slack/stub-engine.js';

const engine = new StubEngine();
const { logger, lines: logLines } = capturedLogger();
const harness = useSlackHarness({ engine: () => engine, logger });

const USER = { id: 'U0DISPATCH', username: 'd', name: 'd', team_id: 'T0TEST' };
const FLOW = 'flow0dispatch01';
const UNHANDLED = 'nothing the app handles';

beforeAll(() => {
  harness().workspace.person({ id: USER.id });
});

function click(actionId: string, value: string) {
  return {
    type: 'block_actions',
    team: { id: 'T0TEST', domain: 'test' },
    user: USER,
    api_app_id: 'A0TEST',
    trigger_id: `1.2.${actionId}`,
    container: { type: 'message', channel_id: 'D0DISPATCH', message_ts: '1.2' },
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: `${Date.now()}` }],
  };
}

/** An id and value each button is rendered with; a button missing here fails the test. */
const SAMPLES: Record<string, { actionId: string; value: string }> = {
  '^flow_start:': { actionId: 'flow_start:changePassword', value: 'changePassword' },
  '^basic_info_edit:': { actionId: 'basic_info_edit:name', value: `name ${FLOW}` },
  '^identity_subject:': { actionId: 'identity_subject:individual', value: `individual ${FLOW}` },
  flow_replace: { actionId: 'flow_replace', value: 'changePassword' },
  flow_enter_value: { actionId: 'flow_enter_value', value: `contactMobile ${FLOW}` },
  basic_info_open_form: { actionId: 'basic_info_open_form', value: `name ${FLOW}` },
  identity_open_form: { actionId: 'identity_open_form', value: `individual ${FLOW}` },
  not_me: { actionId: 'not_me', value: 'passwordChanged' },
  review_approve: { actionId: 'review_approve', value: '1700000000000-0123456789abcdef' },
  review_reject: { actionId: 'review_reject', value: '1700000000000-0123456789abcdef' },
  review_view_document: { actionId: 'review_view_document', value: '1700000000000-0123456789abcdef' },
};
/** URL buttons: the browser opens the link; the click only wants its ack. */
const LINKS = new Set(['flow_password_page', 'review_open_image']);

/** What a handler answers with: every Web API call but the door's membership look-up. */
const answers = (h: ReturnType<typeof harness>) =>
  h.fake.calls.filter((call) => call.method !== 'users.info').length;

const surfaces = [...slackFlows, flowControlsSlack, notMeSlack, reviewSlack];
const buttons = surfaces.flatMap((surface) => surface.buttons.map((button) => button.actionId));

describe('one listener per payload kind, dispatching through the flows’ table', () => {
  it('acks a click on an action id nobody handles at once and logs it once', async () => {
    const h = harness();
    const engineCalls = engine.calls.length;
    const slackCalls = answers(h);
    const started = Date.now();
    const response = await h.workspace.signer.interaction(click('no_such_button', FLOW));
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    await h.runtime.idle();
    const logged = logLines.filter((line) => line.includes(UNHANDLED));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0] ?? '{}')).toMatchObject({ kind: 'action', id: 'no_such_button' });
    expect(engine.calls.length).toBe(engineCalls);
    expect(answers(h)).toBe(slackCalls);
  });

  it('never writes a sender-chosen action id that is not an id into the log', async () => {
    const h = harness();
    await h.workspace.signer.interaction(click('free text with spaces, MARKER-0815', FLOW));
    await h.runtime.idle();
    expect(logLines.join('')).not.toContain('MARKER-0815');
    expect(logLines.filter((line) => line.includes('(not an id)'))).toHaveLength(1);
  });

  it.each(buttons.map((id) => [String(id)] as const))('reaches the handler of %s', async (id) => {
    const h = harness();
    const key = id.replace(/^\/|\/$/g, '');
    const sample = SAMPLES[key] ?? { actionId: key, value: FLOW };
    expect(sample.actionId, `a sample click for ${id}`).not.toMatch(/^\^/);
    const engineCalls = engine.calls.length;
    const slackCalls = answers(h);
    const unhandled = logLines.filter((line) => line.includes(UNHANDLED)).length;
    const response = await h.workspace.signer.interaction(click(sample.actionId, sample.value));
    expect(response.status).toBe(200);
    await h.runtime.idle();
    expect(logLines.filter((line) => line.includes(UNHANDLED))).toHaveLength(unhandled);
    if (LINKS.has(sample.actionId)) return;
    // The handler ran: it asked the engine, or answered through Slack's Web API.
    expect(engine.calls.length + answers(h)).toBeGreaterThan(engineCalls + slackCalls);
  });
});
