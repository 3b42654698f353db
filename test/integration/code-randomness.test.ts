import { createRequire, syncBuiltinESMExports } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApplication, type Application } from '../../src/app/application.js';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { testConfig } from '../support/config.js';

// The CommonJS face of node:crypto; syncBuiltinESMExports carries a spy on it to every ES import.
const nodeCrypto = createRequire(import.meta.url)('node:crypto') as { randomInt: (max: number) => number };

describe('codes in the production wiring', () => {
  let app: Application;
  beforeAll(async () => {
    app = await createApplication(testConfig(), new ManualClock(), createLogger('silent'), {
      slack: false,
      listen: false,
    });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('come from crypto.randomInt over 10^6, with leading zeros kept', async () => {
    const randomInt = vi.spyOn(nodeCrypto, 'randomInt').mockImplementation(() => 42);
    syncBuiltinESMExports();
    try {
      const account = await app.stores.directory.create({
        loginEmail: 'random@example.com',
        accountName: 'Rand',
      });
      const issued = await app.services.codes.issue({
        accountId: account.accountId,
        flowId: 'flow-random',
        purpose: 'step-up',
        target: 'random@example.com',
        channel: 'email',
      });
      expect(randomInt).toHaveBeenCalledWith(1_000_000);
      expect(issued).toMatchObject({ ok: true, code: '000042' });
    } finally {
      randomInt.mockRestore();
      syncBuiltinESMExports();
    }
  });
});
