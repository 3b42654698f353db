import { createApplication, type Application } from '../../src/app/application.js';
import type { AppConfig } from '../../src/config/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import type { HashingPoolOptions } from '../../src/services/credentials/index.js';
import { testConfig } from '../support/config.js';
import { freePort } from '../support/redis-server.js';
import { SmsCapture } from '../support/sms-capture.js';
import { readLink, SmtpCapture } from '../support/smtp-capture.js';
import { HttpClient } from './http-client.js';

/** The whole application listening on loopback, with real SMTP and SMS capture, for its pages over HTTP. */
export interface WholeApplication {
  app: Application;
  config: AppConfig;
  base: string;
  clock: ManualClock;
  smtp: SmtpCapture;
  sms: SmsCapture;
  close(): Promise<void>;
}

export async function startWholeApplication(
  env: Record<string, string> = {},
  options: { hashing?: HashingPoolOptions } = {},
): Promise<WholeApplication> {
  const [smtp, sms] = await Promise.all([SmtpCapture.start(), SmsCapture.start()]);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = testConfig({
    SMTP_URL: smtp.url,
    SMS_WEBHOOK_URL: sms.url,
    SMS_WEBHOOK_SECRET: sms.secret,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_BASE_URL: base,
    ...env,
  });
  const clock = new ManualClock();
  const app = await createApplication(config, clock, createLogger('silent'), { listen: true, ...options });
  return {
    app,
    config,
    base,
    clock,
    smtp,
    sms,
    close: async () => {
      await app.stop();
      await Promise.all([smtp.close(), sms.close()]);
    },
  };
}

/** /forgot, the mail, and the link opened: a client on /reset with the link in its cookie. */
export async function openResetLink(whole: WholeApplication, loginEmail: string): Promise<HttpClient> {
  const asker = new HttpClient(whole.base);
  await asker.post('/forgot', { _csrf: await asker.csrf('/forgot'), email: loginEmail });
  const link = readLink(await whole.smtp.waitForMail(loginEmail));
  const client = new HttpClient(whole.base);
  const opened = await client.get(new URL(link).pathname);
  if (opened.status !== 303) throw new Error(`the reset link answered ${opened.status}, not 303`);
  return client;
}
