import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { notifications } from '../../src/messages/notifications.js';
import { slack } from '../../src/messages/slack.js';
import { eventually, sleep } from '../notifications/eventually.js';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.js';
import { startSlackHarness, type SlackHarness } from '../support/slack/harness.js';
import { SmtpCapture } from '../support/smtp-capture.js';

/**
 * The BullMQ worker blocks on its own connection while the queue is empty; a Redis restart
 * kills that connection under it. The worker must come back by itself and keep sending: the
 * mail queued after the restart arrives, and the one sent before it is not sent again.
 */
describe('the mail worker after a Redis restart', () => {
  let server: RedisServerHandle;
  let smtp: SmtpCapture;
  let h: SlackHarness;
  let closed = false;
  const logLines: string[] = [];
  const logger = createLogger(
    'warn',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  );

  beforeAll(async () => {
    // A private server: restarting the run's shared one would break other suites.
    server = await startRedisServer();
    smtp = await SmtpCapture.start();
    h = await startSlackHarness({ env: { REDIS_URL: server.url, SMTP_URL: smtp.url }, logger });
  });
  afterAll(async () => {
    if (!closed) await h?.close();
    await smtp?.close();
    await server?.dispose();
  });

  async function askReset(id: string, loginEmail: string): Promise<void> {
    await h.application.stores.directory.create({ loginEmail, accountName: id });
    const person = h.workspace.person({ id });
    await person.say('forgot password');
    await person.click(slack.buttons.continue);
    await person.submit({ 'Login email': loginEmail });
  }

  it('sends the mail queued after the restart, and each mail exactly once', async () => {
    await askReset('U0BEFORE', 'before-restart@example.com');
    await smtp.waitForMail('before-restart@example.com');

    // The snapshot keeps the finished job, as AOF would in production, so a worker that
    // re-ran it after the restart would send it twice.
    await h.application.stores.redis?.save();
    await server.stop();
    await server.start();
    await eventually(() => h.application.stores.redis?.status === 'ready', 10_000);

    await askReset('U0AFTER', 'after-restart@example.com');
    const after = await smtp.waitForMail('after-restart@example.com', { timeoutMs: 15_000 });
    expect(after.subject).toBe(notifications.email.resetLink.subject);
    // Give a duplicate of either mail time to show up.
    await sleep(1_000);
    expect(smtp.mailsTo('before-restart@example.com')).toHaveLength(1);
    expect(smtp.mailsTo('after-restart@example.com')).toHaveLength(1);

    // Closing drains the worker on the new connection; it is not cut off after the drain time.
    await h.close();
    closed = true;
    expect(logLines.filter((line) => line.includes('did not drain'))).toEqual([]);
  });
});
