import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication } from '../../src/app/application.js';
import { systemClock } from '../../src/core/clock.js';
import { StartupError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { notifications } from '../../src/messages/notifications.js';
import { slack } from '../../src/messages/slack.js';
import { testConfig } from '../support/config.js';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.js';
import { makeTestCertificates, type TestCertificates } from '../support/redis-tls.js';
import {
  startRedisCluster,
  startRedisSentinel,
  type RedisClusterHandle,
  type RedisSentinelHandle,
} from '../support/redis-topologies.js';
import { startSlackHarness } from '../support/slack/harness.js';
import { SmtpCapture } from '../support/smtp-capture.js';

/**
 * The app on TLS-only Redis servers (no plain port is open) in all three topologies, with a
 * throwaway CA: the servers ask for a client certificate (Redis' default), sentinels and
 * replicas and the cluster bus speak TLS too. The data nodes let the app in only as an ACL
 * user limited to its key prefix (the README's pattern), the sentinels ask for their own
 * password. A flow runs and its mail goes through BullMQ; a client that trusts another CA
 * stops at start-up with a line naming REDIS_TLS_CA_FILE.
 *
 * @module-tag topology
 */
let certificates: TestCertificates;
let node: RedisServerHandle;
let cluster: RedisClusterHandle;
let sentinel: RedisSentinelHandle;
let smtp: SmtpCapture;

const KEY_PREFIX = 'aa';
const acl = { user: 'assistant', password: 'assistant-password', keyPattern: `${KEY_PREFIX}:*` };

beforeAll(async () => {
  certificates = await makeTestCertificates();
  const tls = { tls: certificates, acl };
  [node, cluster, sentinel, smtp] = await Promise.all([
    startRedisServer(tls),
    startRedisCluster(tls),
    startRedisSentinel(tls),
    SmtpCapture.start(),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([node?.dispose(), cluster?.dispose(), sentinel?.dispose(), smtp?.close()]);
  certificates?.dispose();
});

const endpoints = (list: { host: string; port: number }[]) =>
  list.map((endpoint) => `${endpoint.host}:${endpoint.port}`).join(',');

const oneNode = (caFile: string) => ({ REDIS_URL: node.url, ...tlsFiles(caFile), ...aclUser() });

/** Each topology as an operator would configure it, trusting `caFile`. */
const topologies: [string, (caFile: string) => Record<string, string>][] = [
  ['one node', oneNode],
  [
    'Sentinel',
    (caFile) => ({
      REDIS_SENTINELS: endpoints(sentinel.sentinels),
      REDIS_SENTINEL_NAME: sentinel.name,
      REDIS_SENTINEL_PASSWORD: sentinel.sentinelPassword ?? '',
      REDIS_TLS: 'true',
      ...tlsFiles(caFile),
      ...aclUser(),
    }),
  ],
  [
    'Cluster',
    (caFile) => ({
      REDIS_CLUSTER_NODES: endpoints(cluster.nodes),
      REDIS_TLS: 'true',
      ...tlsFiles(caFile),
      ...aclUser(),
    }),
  ],
];

function aclUser(): Record<string, string> {
  return { REDIS_USERNAME: acl.user, REDIS_PASSWORD: acl.password, REDIS_KEY_PREFIX: KEY_PREFIX };
}

function tlsFiles(caFile: string): Record<string, string> {
  return {
    REDIS_TLS_CA_FILE: caFile,
    REDIS_TLS_CERT_FILE: certificates.client.certFile,
    REDIS_TLS_KEY_FILE: certificates.client.keyFile,
  };
}

describe.each(topologies)('Redis over TLS, as an ACL user: %s', (label, environment) => {
  const loginEmail = `tls-${label.replace(/\W/g, '').toLowerCase()}@example.com`;

  it('runs a reset request from Slack and sends its mail through the queue', async () => {
    const h = await startSlackHarness({ env: { ...environment(certificates.caFile), SMTP_URL: smtp.url } });
    try {
      await h.application.stores.directory.create({ loginEmail, accountName: label });
      const person = h.workspace.person({ id: `U0TLS${label.length}` });
      await person.say('forgot password');
      await person.click(slack.buttons.continue);
      await person.submit({ 'Login email': loginEmail });
      expect((await smtp.waitForMail(loginEmail)).subject).toBe(notifications.email.resetLink.subject);
      // The user really is limited to the prefix, which covered every store and the queue.
      await expect(h.application.stores.redis?.set('elsewhere', '1')).rejects.toThrow(/NOPERM/);
    } finally {
      await h.close();
    }
  });

  it('stops start-up with a line naming REDIS_TLS_CA_FILE when the CA is not the servers', async () => {
    const config = testConfig(environment(certificates.otherCaFile));
    const started = createApplication(config, systemClock, createLogger('silent'), {
      slack: false,
      listen: false,
    });
    await expect(started).rejects.toBeInstanceOf(StartupError);
    await expect(started).rejects.toThrow(
      new RegExp(
        `^REDIS_TLS_CA_FILE: Redis at 127\\.0\\.0\\.1:\\d+ presented a certificate that the CA in ${certificates.otherCaFile} cannot verify \\(self-signed certificate in certificate chain\\)`,
      ),
    );
  });
});

describe('Redis TLS files', () => {
  it('stops start-up naming the variable whose file cannot be read', async () => {
    const config = testConfig({
      ...oneNode(certificates.caFile),
      REDIS_TLS_KEY_FILE: '/nonexistent/app.key',
    });
    await expect(
      createApplication(config, systemClock, createLogger('silent'), { slack: false, listen: false }),
    ).rejects.toThrow(
      'REDIS_TLS_KEY_FILE: cannot read /nonexistent/app.key (ENOENT); expected a readable PEM file.',
    );
  });
});
