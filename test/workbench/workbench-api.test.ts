import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slack } from '../../src/messages/slack.js';
import { workbench as text } from '../../src/messages/workbench.js';
import { WORKBENCH_CSP } from '../../src/workbench/routes.js';
import type { PersonState } from '../../src/workbench/state.js';
import { startWorkbenchApp, type RunningWorkbench } from './harness.js';

/**
 * The workbench's own HTTP surface on the in-process store (no REDIS_URL): what the page
 * fetches and posts, and what it refuses.
 */
describe('workbench API on the in-process store', () => {
  let workbench: RunningWorkbench;

  beforeAll(async () => {
    workbench = await startWorkbenchApp({ redis: false });
  }, 30_000);

  afterAll(async () => {
    await workbench?.close();
  });

  const state = async (person: string): Promise<PersonState> => {
    const response = await fetch(`${workbench.base}/workbench/api/state?person=${person}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { state: PersonState }).state;
  };

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${workbench.base}/workbench/api/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', ...headers },
      body: JSON.stringify(body),
    });

  it('serves the page at / under a strict CSP that only adds fetch and frames from its own origin', async () => {
    const response = await fetch(`${workbench.base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(WORKBENCH_CSP);
    expect(WORKBENCH_CSP).not.toMatch(/unsafe|https?:|\*/);
    const page = await response.text();
    expect(page).toContain('/workbench/workbench.js');
    expect(page).not.toMatch(/<script>|style="/);
  });

  it('labels the pages it passes on by their own route in the metrics, not by its mount', async () => {
    expect((await fetch(`${workbench.base}/forgot`)).status).toBe(200);
    expect((await fetch(`${workbench.base}/readyz`)).status).toBe(200);
    const samples =
      (
        await workbench.app.metrics.registry
          .getSingleMetric('account_assistant_http_request_duration_seconds')
          ?.get()
      )?.values ?? [];
    const routes = new Set(samples.map((sample) => sample.labels.route));
    expect(routes).toContain('/forgot');
    expect(routes).toContain('/readyz');
  });

  it('delivers a DM to the real app: Bob, not linked yet, is offered to link with a code by email', async () => {
    expect((await post('say', { person: 'U0BOB', text: 'hi' })).status).toBe(200);
    const bob = await state('U0BOB');
    expect(bob.dm.messages.map((message) => message.user)).toEqual(['U0BOB', bob.botUserId]);
    expect(bob.flow.active?.machineId).toBe('linkSlackUser');
    expect(bob.inbox.some((item) => item.kind === 'mail' && item.to === 'bob@example.com')).toBe(true);
  });

  it('tells a person whose Slack email matches no account so', async () => {
    await post('say', { person: 'U0NOBODY', text: 'hi' });
    const nobody = await state('U0NOBODY');
    expect(nobody.dm.messages.at(-1)?.text).toContain(slack.flowMessage.noAccountMatch);
  });

  it('refuses actions from another site, unknown people and malformed bodies', async () => {
    const crossSite = await post(
      'say',
      { person: 'U0ALICE', text: 'hi' },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toEqual({ error: text.errors.crossSite });
    const form = await fetch(`${workbench.base}/workbench/api/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'person=U0ALICE&text=hi',
    });
    expect(form.status).toBe(403);
    expect((await post('say', { person: 'U0SOMEONE', text: 'hi' })).status).toBe(400);
    expect((await post('click', { person: 'U0ALICE', target: { kind: 'nowhere' } })).status).toBe(400);
    const gone = await post('click', {
      person: 'U0ALICE',
      target: { kind: 'message', channel: 'DU0ALICE', ts: '1.000001' },
      blockId: 'x',
      actionId: 'y',
    });
    expect(gone.status).toBe(409);
    expect((await fetch(`${workbench.base}/workbench/api/state?person=nobody`)).status).toBe(400);
  });
});
