import type { webApi } from '@slack/bolt';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';

/** Short, so someone removed from the group loses their powers within a minute. */
export const ROSTER_CACHE_MS = 60_000;

export interface RosterOptions {
  userIds: readonly string[];
  usergroupId: string | null;
  client: webApi.WebClient;
  clock: Clock;
  logger: Logger;
  /** For the log line only: 'support' or 'reviewers'. */
  name: string;
  cacheMs?: number;
}

/**
 * A configured team (support agents, identity reviewers): a user-id list and/or a Slack user
 * group. The group's members are cached briefly; a failed lookup is not cached and counts
 * as "not a member", so an API outage never grants a power.
 */
export class SlackRoster {
  private cached: { members: ReadonlySet<string>; until: number } | null = null;

  constructor(private readonly options: RosterOptions) {}

  async includes(userId: string): Promise<boolean> {
    if (this.options.userIds.includes(userId)) return true;
    if (this.options.usergroupId === null) return false;
    const members = await this.groupMembers(this.options.usergroupId);
    return members.has(userId);
  }

  private async groupMembers(usergroup: string): Promise<ReadonlySet<string>> {
    const now = this.options.clock.now();
    if (this.cached !== null && this.cached.until > now) return this.cached.members;
    try {
      const answer = await this.options.client.usergroups.users.list({ usergroup });
      const members = new Set(answer.users ?? []);
      this.cached = { members, until: now + (this.options.cacheMs ?? ROSTER_CACHE_MS) };
      return members;
    } catch (error) {
      this.options.logger.warn(
        { roster: this.options.name, err: error instanceof Error ? error.message : 'unknown' },
        'user group lookup failed; treating the person as not a member',
      );
      return new Set();
    }
  }
}
