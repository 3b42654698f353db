import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication, type Application } from '../../src/app/application.js';
import { runAccountsCommand } from '../../src/cli/accounts-command.js';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { messages } from '../../src/messages/catalog.js';
import { eventually } from '../notifications/eventually.js';
import { testConfig } from '../support/config.js';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.js';
import { SmtpCapture } from '../support/smtp-capture.js';
import { scratchDirectory } from '../support/scratch.js';

const m = messages.accountsFile;
const ROWS = 12;
/** The server is killed once this many accounts were created and sent their link. */
const STOP_AFTER = 4;

const person = (n: number) => ({
  loginEmail: `outage${n}@example.com`,
  accountName: `Outage ${n}`,
  industry: 'software',
  securityMobile: `+86 138 0013 ${String(8000 + n)}`,
  fullName: `Outage Person ${n}`,
  companyName: 'Acme Robotics',
  region: 'CN',
  state: 'Zhejiang',
  city: 'Hangzhou',
  address: `${n} Wensan Road`,
  postalCode: '310000',
});

/**
 * The import against its own redis-server (AOF on, as production Redis runs), killed part-way:
 * each row is written whole or not at all, the command names the rows it wrote, and the
 * same file run again once Redis is back finishes the job without duplicates.
 */
describe('accounts import when Redis stops mid-run', () => {
  let redis: RedisServerHandle;
  let smtp: SmtpCapture;
  let app: Application;

  beforeAll(async () => {
    redis = await startRedisServer({ durable: true });
    smtp = await SmtpCapture.start();
    app = await createApplication(
      testConfig({ SMTP_URL: smtp.url, REDIS_URL: redis.url }),
      new ManualClock(),
      createLogger('silent'),
      { slack: false },
    );
  });

  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await app.stop();
    await smtp.close();
    await redis.dispose();
  });

  it('stops at the first row it cannot write, names the rows written in full, and a rerun finishes', async () => {
    const path = join(scratchDirectory('import-outage-'), 'people.json');
    writeFileSync(path, JSON.stringify(Array.from({ length: ROWS }, (_, i) => person(i + 1))));
    const out: string[] = [];
    const err: string[] = [];
    let linked = 0;
    const run = () =>
      runAccountsCommand(['import', path], {
        directory: app.stores.directory,
        listing: app.stores.accountListing,
        sendResetLink: async (loginEmail, actor) => {
          await app.sendResetLink(loginEmail, actor);
          linked += 1;
          if (linked === STOP_AFTER) await redis.stop();
        },
        out: (line) => out.push(line),
        err: (line) => err.push(line),
      });

    expect(await run()).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([m.stopped(STOP_AFTER + 1, m.storeUnavailable, `1–${STOP_AFTER}`)]);

    await redis.start();
    await eventually(async () => {
      try {
        await app.stores.directory.getByLoginEmail('outage1@example.com');
        return true;
      } catch {
        return false;
      }
    }, 10_000);
    const listed = (await app.stores.accountListing?.listAccounts()) ?? [];
    expect(listed.map((account) => account.loginEmail).sort()).toEqual(
      Array.from({ length: STOP_AFTER }, (_, i) => `outage${i + 1}@example.com`).sort(),
    );
    for (const account of listed) {
      const n = Number(/outage(\d+)@/.exec(account.loginEmail ?? '')?.[1]);
      expect(account).toMatchObject({ accountName: `Outage ${n}`, industry: 'software' });
      expect(account.contactAddress).toMatchObject({ fullName: `Outage Person ${n}`, postalCode: '310000' });
    }

    out.length = 0;
    err.length = 0;
    expect(await run()).toBe(0);
    expect(out).toEqual([m.done(ROWS - STOP_AFTER, STOP_AFTER)]);
    expect(await app.stores.accountListing?.listAccounts()).toHaveLength(ROWS);
  });
});
