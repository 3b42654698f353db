import type { webApi } from '@slack/bolt';
import type { Clock } from '../../core/clock.js';

export type MemberVerdict = 'member' | 'bot' | 'guest' | 'external' | 'deactivated' | 'unknown';

/** Long enough to spare users.info on every click, short enough that a demoted guest is seen soon. */
const MEMBER_CACHE_MS = 60_000;
const MAX_CACHED = 10_000;

interface UserInfo {
  team_id?: string;
  is_bot?: boolean;
  is_app_user?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  deleted?: boolean;
  is_stranger?: boolean;
}

function verdictOf(user: UserInfo | undefined, teamId: string): MemberVerdict {
  if (!user) return 'unknown';
  if (user.deleted) return 'deactivated';
  if (user.is_bot || user.is_app_user) return 'bot';
  if (user.is_stranger || (user.team_id !== undefined && user.team_id !== teamId)) return 'external';
  if (user.is_restricted || user.is_ultra_restricted) return 'guest';
  return 'member';
}

/**
 * Who may use the assistant: full members of the configured workspace. users.info answers
 * are cached briefly per user; a lookup that fails is not cached and refuses (fail closed).
 */
export class MemberCheck {
  private readonly cache = new Map<string, { verdict: MemberVerdict; expiresAt: number }>();

  constructor(
    private readonly teamId: string,
    private readonly clock: Clock,
  ) {}

  async verdict(client: webApi.WebClient, userId: string): Promise<MemberVerdict> {
    const now = this.clock.now();
    const cached = this.cache.get(userId);
    if (cached && cached.expiresAt > now) return cached.verdict;
    const answer = await client.users.info({ user: userId });
    const verdict = verdictOf(answer.user as UserInfo | undefined, this.teamId);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(userId, { verdict, expiresAt: now + MEMBER_CACHE_MS });
    return verdict;
  }
}
