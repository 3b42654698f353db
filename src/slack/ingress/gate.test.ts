import type { AllMiddlewareArgs, AnyMiddlewareArgs } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { MemoryDedupe } from '../../adapters/memory/dedupe.js';
import { ManualClock } from '../../core/clock.js';
import { TemporarilyUnavailableError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { common } from '../../messages/common.js';
import type { Dedupe } from '../../ports/dedupe.js';
import { ingressGate } from './gate.js';
import { MemberCheck } from './members.js';
import { freshTimestamp } from './timestamp.js';

const clock = new ManualClock();

function run(dedupe: Dedupe, body: Record<string, unknown>) {
  const acks: unknown[] = [];
  const posted: unknown[] = [];
  let passed = false;
  let lookups = 0;
  const args = {
    body,
    ack: async (response?: unknown) => {
      acks.push(response);
    },
    next: async () => {
      passed = true;
    },
    client: {
      users: {
        info: async () => {
          lookups += 1;
          return { ok: true, user: { id: 'U1', team_id: 'T1' } };
        },
      },
      chat: {
        postMessage: async (message: unknown) => {
          posted.push(message);
          return { ok: true };
        },
      },
    },
  } as unknown as AnyMiddlewareArgs & AllMiddlewareArgs;
  const gate = ingressGate({
    teamId: 'T1',
    members: new MemberCheck('T1', clock),
    dedupe,
    logger: createLogger('silent'),
    fingerprint: (text) => text,
  });
  return gate(args).then(() => ({ acks, posted, passed, lookups }));
}

const command = { command: '/account', team_id: 'T1', user_id: 'U1', text: 'help' };

describe('ingress gate', () => {
  it('lets a member of the workspace through', async () => {
    expect((await run(new MemoryDedupe(clock), command)).passed).toBe(true);
  });

  it('fails closed when the dedupe store is down: nothing passes, the person is told', async () => {
    const down: Dedupe = {
      claim: async () => {
        throw new TemporarilyUnavailableError('dedupe');
      },
    };
    const event = {
      type: 'event_callback',
      team_id: 'T1',
      event_id: 'Ev1',
      event: { type: 'message', user: 'U1' },
    };
    const outcome = await run(down, event);
    expect(outcome.passed).toBe(false);
    expect(outcome.posted).toEqual([{ channel: 'U1', text: common.temporarilyUnavailable }]);
  });

  it('lets each event id through once', async () => {
    const dedupe = new MemoryDedupe(clock);
    const event = {
      type: 'event_callback',
      team_id: 'T1',
      event_id: 'Ev2',
      event: { type: 'message', user: 'U1' },
    };
    expect((await run(dedupe, event)).passed).toBe(true);
    expect((await run(dedupe, event)).passed).toBe(false);
  });
});

describe('request timestamps', () => {
  it('accept ±300 s around now and nothing else', () => {
    const now = Date.UTC(2026, 0, 5, 9);
    const seconds = Math.floor(now / 1000);
    expect(freshTimestamp(String(seconds - 300), now)).toBe(true);
    expect(freshTimestamp(String(seconds + 300), now)).toBe(true);
    expect(freshTimestamp(String(seconds - 301), now)).toBe(false);
    expect(freshTimestamp(String(seconds + 301), now)).toBe(false);
    expect(freshTimestamp('soon', now)).toBe(false);
    expect(freshTimestamp(undefined, now)).toBe(false);
  });
});
