import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validation } from '../../src/messages/validation.js';
import { web as words } from '../../src/messages/web.js';
import { startWebHarness, type WebHarness } from './harness.js';

describe('/forgot with an address that only looks like one', () => {
  let web: WebHarness;
  beforeAll(async () => {
    web = await startWebHarness();
  });
  afterAll(async () => {
    await web.close();
  });

  it.each(['name@example', 'name@@example.com', 'na me@example.com', 'name@exam_ple.com'])(
    'answers %s, sent past the browser check, with the field error and asks for nothing',
    async (email) => {
      const client = web.client();
      const answer = await client.post('/forgot', { _csrf: await client.csrf('/forgot'), email });
      expect(answer.status).toBe(422);
      const page = await answer.text();
      expect(page).toContain(validation.email.invalid);
      expect(page).toContain('aria-invalid="true"');
      expect(page).not.toContain(words.forgot.sentTitle);
      expect(web.pages.forgotten).toEqual([]);
    },
  );

  it('still sends a real address on', async () => {
    const client = web.client();
    const answer = await client.post('/forgot', {
      _csrf: await client.csrf('/forgot'),
      email: 'name@example.com',
    });
    expect(answer.status).toBe(200);
    expect(web.pages.forgotten).toEqual(['name@example.com']);
  });
});
