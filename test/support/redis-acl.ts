/** The app's ACL user on a test server: its name, its password and the keys it may touch. */
export interface TestAclUser {
  user: string;
  password: string;
  keyPattern: string;
}

/** Once a server has ACLs, the tests set it up and look into it as the default user. */
const ADMIN_PASSWORD = 'test-admin-password';

/** What the sentinels of an ACL'd set ask their clients for (REDIS_SENTINEL_PASSWORD). */
export const TEST_SENTINEL_PASSWORD = 'test-sentinel-password';

/**
 * redis-server arguments: the default user needs a password, the app's user may touch only
 * its keys, and a replica syncs as the default user.
 */
export function aclServerArgs(acl: TestAclUser): string[] {
  // redis-server joins the words after an option; one word with spaces would be quoted.
  return [
    ...['--user', 'default', 'on', `>${ADMIN_PASSWORD}`, '~*', '&*', '+@all'],
    ...['--user', acl.user, 'on', `>${acl.password}`, `~${acl.keyPattern}`, '&*', '+@all'],
    ...['--masteruser', 'default', '--masterauth', ADMIN_PASSWORD],
  ];
}

/** redis-cli arguments to log in to a data node as the default user. */
export const ACL_CLI_ARGS = ['--user', 'default', '--pass', ADMIN_PASSWORD, '--no-auth-warning'];

/** redis-cli arguments to log in to a sentinel that asks for its password. */
export const SENTINEL_CLI_ARGS = ['--pass', TEST_SENTINEL_PASSWORD, '--no-auth-warning'];

/** Sentinel config lines: how it logs in to the data nodes of `name`, and its own password. */
export function aclSentinelLines(name: string): string[] {
  return [
    `sentinel auth-user ${name} default`,
    `sentinel auth-pass ${name} ${ADMIN_PASSWORD}`,
    `requirepass ${TEST_SENTINEL_PASSWORD}`,
    `sentinel sentinel-pass ${TEST_SENTINEL_PASSWORD}`,
  ];
}
