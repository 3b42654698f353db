import type { ParsedEnvironment } from './schema.js';

/**
 * Variables that take effect only beside another. Given without it they would be ignored in
 * silence while the app runs on something other than what the operator meant (the in-process
 * store, the embedded directory, the workbench instead of Slack), so they stop start-up instead;
 * no documented setup sets one of them alone.
 */
interface Companion {
  /** The variables that depend on it, by exact name or prefix. */
  dependents: (name: string) => boolean;
  inUse: (e: ParsedEnvironment) => boolean;
  /** What to set, as the operator writes it. */
  needs: string;
}

const SLACK_ONLY = new Set([
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_MODE',
  'SLACK_API_URL',
  'SLACK_TEAM_ID',
  'SLACK_API_TIMEOUT_MS',
  'SUPPORT_USER_IDS',
  'SUPPORT_USERGROUP_ID',
  'REVIEWER_USER_IDS',
  'REVIEWER_USERGROUP_ID',
  'SUPPORT_CHANNEL_ID',
  'REVIEW_CHANNEL_ID',
  'AUDIT_CHANNEL_ID',
]);

const REDIS_ACCESS = new Set(['REDIS_USERNAME', 'REDIS_PASSWORD', 'REDIS_TLS']);

const COMPANIONS: readonly Companion[] = [
  {
    dependents: (name) => name.startsWith('LDAP_'),
    inUse: (e) => e.DIRECTORY === 'ldap',
    needs: 'DIRECTORY=ldap',
  },
  {
    dependents: (name) => name === 'REDIS_SENTINEL_NAME' || name === 'REDIS_SENTINEL_PASSWORD',
    inUse: (e) => e.REDIS_SENTINELS !== undefined,
    needs: 'REDIS_SENTINELS',
  },
  {
    dependents: (name) => REDIS_ACCESS.has(name),
    inUse: (e) =>
      e.REDIS_URL !== undefined || e.REDIS_SENTINELS !== undefined || e.REDIS_CLUSTER_NODES !== undefined,
    needs: 'REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES',
  },
  {
    dependents: (name) => SLACK_ONLY.has(name),
    inUse: (e) => e.SLACK_BOT_TOKEN !== undefined,
    needs: 'SLACK_BOT_TOKEN',
  },
  {
    dependents: (name) => name === 'SMS_WEBHOOK_SECRET',
    inUse: (e) => e.SMS_WEBHOOK_URL !== undefined,
    needs: 'SMS_WEBHOOK_URL',
  },
];

/** One line per group of variables given without the one they belong to. */
export function companionProblems(given: readonly string[], e: ParsedEnvironment): string[] {
  return COMPANIONS.flatMap(({ dependents, inUse, needs }) => {
    const stray = given.filter(dependents).sort();
    if (stray.length === 0 || inUse(e)) return [];
    const them = stray.length === 1 ? 'it' : 'them';
    return [
      `${stray.join(', ')}: set without ${needs}, so nothing would read ${them}; set ${needs}, or remove ${them}`,
    ];
  });
}
