import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHarness, type WebHarness } from './harness.js';

describe('request ids', () => {
  let harness: WebHarness;
  beforeAll(async () => {
    harness = await startWebHarness();
  });
  afterAll(() => harness.close());

  it('answers each request with its own id and logs the same id, ignoring one the client sent', async () => {
    const first = await fetch(`${harness.base}/forgot`, { headers: { 'x-request-id': 'client-chosen' } });
    const second = await fetch(`${harness.base}/forgot`);
    const ids = [first.headers.get('x-request-id'), second.headers.get('x-request-id')];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    const logged = harness.logLines
      .map((line) => JSON.parse(line) as { msg?: string; requestId?: string })
      .filter((line) => line.msg === 'request')
      .map((line) => line.requestId);
    expect(logged).toEqual(expect.arrayContaining(ids));
    expect(logged).not.toContain('client-chosen');
  });
});
