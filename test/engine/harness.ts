import { buildServices, type Services } from '../../src/app/services.js';
import { buildStores, type Stores } from '../../src/app/stores.js';
import type { AppConfig } from '../../src/config/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger, type Logger } from '../../src/core/logger.js';
import type { CreateAccountInput } from '../../src/domain/account.js';
import { buildEngine, type EngineParts, type EngineWiring } from '../../src/app/engine.js';
import type { DirectMessage } from '../../src/ports/direct-messenger.js';
import type { ReviewChannel, ReviewSubmissionNotice } from '../../src/ports/review-channel.js';
import { buildNotifications, type Notifications } from '../../src/app/notifications.js';
import { testConfig } from '../support/config.js';
import { SmsCapture } from '../support/sms-capture.js';
import { SmtpCapture } from '../support/smtp-capture.js';

export const PASSWORD = 'Old-Passw0rd!';

/** One process of the app: stores, services, notifications and an engine over them. */
export interface EngineWorld extends EngineParts {
  config: AppConfig;
  clock: ManualClock;
  stores: Stores;
  services: Services;
  notifications: Notifications;
  messages: DirectMessage[];
  /** Submissions the engine posted to the reviewers' channel. */
  posted: ReviewSubmissionNotice[];
  /** A second engine over the same stores, as after a process restart. */
  restart(): EngineParts;
  createAccount(input: Partial<CreateAccountInput>): Promise<string>;
  /** The newest code sent to an address, read from the delivered message like a person would. */
  codeFor(to: string): Promise<string>;
  mailsTo(to: string): string[];
  close(): Promise<void>;
}

/**
 * Mail goes to a real SMTP server and texts to a real webhook gateway on loopback; codes
 * are read from what they received, as a person reads them.
 */
export async function engineWorld(
  wiring: Partial<EngineWiring> = {},
  options: { redis?: boolean; logger?: Logger } = {},
): Promise<EngineWorld> {
  const smtp = await SmtpCapture.start();
  const sms = await SmsCapture.start();
  const config = testConfig(
    {
      SMTP_URL: smtp.url,
      SMS_WEBHOOK_URL: sms.url,
      SMS_WEBHOOK_SECRET: sms.secret,
      DELIVERY_BACKOFF_MS: '50',
    },
    options,
  );
  const clock = new ManualClock(Date.now());
  const logger = options.logger ?? createLogger('silent');
  const stores = await buildStores(config, clock);
  const services = buildServices(config, stores, clock);
  const notifications = buildNotifications(config, {
    clock,
    logger,
    audit: stores.audit,
    sources: {
      reviewPending: async () => false,
      remindReviewers: async () => undefined,
      passwordState: async () => null,
      expiringPasswords: async () => [],
      remindOwnerOfExpiry: async () => undefined,
    },
  });
  await notifications.start();
  const messages: DirectMessage[] = [];
  const messenger = { send: async (message: DirectMessage) => void messages.push(message) };
  const posted: ReviewSubmissionNotice[] = [];
  const reviewChannel: ReviewChannel = {
    postSubmission: async (notice) => void posted.push(notice),
    updateDecision: async () => undefined,
    remindOverdue: async () => undefined,
  };
  const build = () =>
    buildEngine(
      config,
      clock,
      logger,
      { stores, services, notifications },
      { messenger, reviewChannel, ...wiring },
    );
  const parts = build();

  const codesRead = new Map<string, number>();
  const texts = (to: string): string[] => [
    ...smtp.messages.filter((mail) => mail.to.includes(to)).map((mail) => mail.text),
    ...sms
      .messages()
      .filter((text) => text.to === to)
      .map((text) => text.text),
  ];
  return {
    ...parts,
    config,
    clock,
    stores,
    services,
    notifications,
    messages,
    posted,
    restart: build,
    createAccount: async (input) => {
      const passwordHash = await services.credentials.hash(PASSWORD);
      const account = await stores.directory.create({
        loginEmail: 'owner@example.com',
        accountName: 'Owner Ltd',
        securityMobile: '+8613800135678',
        verificationEmail: 'security@example.com',
        passwordHash,
        ...input,
      });
      return account.accountId;
    },
    codeFor: async (to) => {
      // Each call reads the next code to this address, so an earlier one is never read twice.
      const seen = codesRead.get(to) ?? 0;
      for (let waited = 0; waited < 3_000; waited += 10) {
        const withCode = texts(to).flatMap((text) => /(?<!\d)(\d{6})(?!\d)/.exec(text)?.[1] ?? []);
        const next = withCode.at(-1);
        if (withCode.length > seen && next !== undefined) {
          codesRead.set(to, withCode.length);
          return next;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`no new code sent to ${to}`);
    },
    mailsTo: texts,
    close: async () => {
      await notifications.close();
      await stores.close();
      await smtp.down();
      await sms.close();
    },
  };
}
