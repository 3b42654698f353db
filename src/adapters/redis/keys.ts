/**
 * Key names. Every key carries a hash tag in braces ({acct:ID} or {slack:T:U} or the
 * flow owner) so that all keys one Lua script touches hash to one Redis Cluster slot.
 */
export class RedisKeys {
  constructor(private readonly prefix: string) {}

  /** A key that belongs to one account. */
  account(accountId: string, ...parts: string[]): string {
    return [this.prefix, `{acct:${accountId}}`, ...parts].join(':');
  }

  /** A key that belongs to one Slack user. */
  slackUser(teamId: string, userId: string, ...parts: string[]): string {
    return [this.prefix, `{slack:${teamId}:${userId}}`, ...parts].join(':');
  }

  /** A key grouped under an arbitrary owner tag (flow owners, rate-limit subjects). */
  tagged(tag: string, ...parts: string[]): string {
    return [this.prefix, `{${tag}}`, ...parts].join(':');
  }

  /** A key that stands alone in its own slot (a global index entry, a stream). */
  global(...parts: string[]): string {
    return [this.prefix, ...parts.slice(0, -1), `{${parts.at(-1) ?? ''}}`].join(':');
  }
}
