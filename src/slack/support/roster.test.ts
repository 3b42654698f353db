import type { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { createLogger } from '../../core/logger.js';
import { ROSTER_CACHE_MS, SlackRoster } from './roster.js';

function roster(
  answers: (() => string[])[],
  options: { userIds?: string[]; usergroupId?: string | null } = {},
) {
  const clock = new ManualClock();
  let calls = 0;
  const client = {
    usergroups: {
      users: {
        list: async () => {
          const answer = answers[Math.min(calls, answers.length - 1)];
          calls += 1;
          return { ok: true, users: answer?.() ?? [] };
        },
      },
    },
  } as unknown as webApi.WebClient;
  const team = new SlackRoster({
    name: 'support',
    userIds: options.userIds ?? ['U0LISTED'],
    usergroupId: options.usergroupId === undefined ? 'S0GROUP' : options.usergroupId,
    client,
    clock,
    logger: createLogger('silent'),
  });
  return { team, clock, calls: () => calls };
}

describe('SlackRoster', () => {
  it('counts listed users and group members, asking Slack once per cache period', async () => {
    const { team, clock, calls } = roster([() => ['U0MEMBER'], () => []]);
    expect(await team.includes('U0LISTED')).toBe(true);
    expect(await team.includes('U0MEMBER')).toBe(true);
    expect(await team.includes('U0OTHER')).toBe(false);
    expect(calls()).toBe(1);
    clock.advance(ROSTER_CACHE_MS);
    expect(await team.includes('U0MEMBER')).toBe(false);
    expect(calls()).toBe(2);
  });

  it('fails closed when the group cannot be read, and asks again next time', async () => {
    const { team, calls } = roster([
      () => {
        throw new Error('ratelimited');
      },
      () => ['U0MEMBER'],
    ]);
    expect(await team.includes('U0MEMBER')).toBe(false);
    expect(await team.includes('U0MEMBER')).toBe(true);
    expect(calls()).toBe(2);
  });

  it('without a group, only the listed users count', async () => {
    const { team, calls } = roster([() => ['U0MEMBER']], { usergroupId: null });
    expect(await team.includes('U0MEMBER')).toBe(false);
    expect(calls()).toBe(0);
  });
});
