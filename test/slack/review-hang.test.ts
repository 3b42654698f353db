import { afterAll, describe, expect, it } from 'vitest';
import { common } from '../../src/messages/common.js';
import { review } from '../../src/messages/review.js';
import { REVIEW_CHANNEL, toldSince, useSlackHarness } from '../support/slack/harness.js';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.js';

/** The review card's buttons on a Redis that hangs (SIGSTOP): nothing decided, the reviewer told. */
const REVIEWER = 'U0HANGREVIEWER';
const APPLICANT = 'U0HANGAPPLICANT';

let server: RedisServerHandle;
afterAll(async () => {
  await server?.dispose();
});
const harness = useSlackHarness(async () => {
  server = await startRedisServer();
  return { env: { REDIS_URL: server.url, REVIEWER_USER_IDS: REVIEWER } };
});

describe('the review channel while Redis hangs', () => {
  it('Approve, Reject and View document are acked in time, say "temporarily unavailable", and decide nothing', async () => {
    const h = harness();
    const { directory } = h.application.stores;
    const account = await directory.create({ loginEmail: 'applicant@example.com', accountName: 'Applicant' });
    await directory.linkSlackUser(account.accountId, h.fake.teamId, APPLICANT);
    const owner = `slack:${h.fake.teamId}:${APPLICANT}`;
    const started = await h.engine.start(owner, 'identityVerification', {});
    if (started.status !== 'active') throw new Error(`identity flow did not start: ${started.status}`);
    await h.engine.send(owner, started.flowId, { type: 'CHOOSE_SUBJECT', subject: 'individual' });
    await h.engine.send(owner, started.flowId, { type: 'ACKNOWLEDGE_WARNINGS' });
    h.scanner.add('document', 'E12345678');
    await h.engine.send(owner, started.flowId, {
      type: 'SUBMIT_IDENTITY',
      details: {
        subject: 'individual',
        documentType: 'passport',
        fullLegalName: 'Applicant One',
        documentNumber: 'E12345678',
        issuingRegion: 'CN',
      },
    });
    const card = h.fake
      .messagesIn(REVIEW_CHANNEL)
      .find((message) => message.text === review.card.fallback(account.accountId));
    if (!card) throw new Error('no review card was posted');
    const reviewer = h.workspace.person({ id: REVIEWER });

    for (const button of [review.card.approve, review.card.reject, review.card.viewDocument]) {
      const since = h.fake.calls.length;
      server.pause();
      try {
        const ack = await reviewer.click(button, card);
        expect(ack.status, button).toBe(200);
        expect(h.workspace.signer.lastAckMs, button).toBeLessThan(3_000);
        expect(toldSince(h, REVIEWER, since, ack), button).toContain(common.temporarilyUnavailable);
        expect(reviewer.hasModal(), button).toBe(false);
      } finally {
        server.resume();
      }
    }
    expect((await directory.getById(account.accountId))?.verification.status).toBe('pending');
  }, 60_000);
});
