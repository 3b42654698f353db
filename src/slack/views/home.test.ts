import { describe, expect, it } from 'vitest';
import type { Account } from '../../domain/account.js';
import { slack } from '../../messages/slack.js';
import { summarizeAccount } from '../account-summary.js';
import { homeView } from './home.js';

const account: Account = {
  accountId: '1001',
  appId: '100100100100',
  loginEmail: 'alice@example.com',
  accountName: 'Alice Chen',
  registeredAt: Date.UTC(2025, 0, 2),
  industry: 'software',
  contactNumber: '+8613800135678',
  contactEmail: 'alice.billing@example.com',
  contactEmailVerified: false,
  contactAddress: null,
  securityMobile: '+8613900139000',
  verificationEmail: 'alice@example.com',
  passwordHash: null,
  passwordHistory: [],
  passwordChangedAt: null,
  credentialVersion: 1,
  verification: { status: 'rejected', reason: 'Blurry image' },
  selfServiceLocked: false,
  lockedReason: null,
  lockedAt: null,
  slackUsers: [],
};

function text(value: unknown): string {
  return JSON.stringify(value);
}

describe('home view', () => {
  it('shows basic info, security and verification masked, never the full addresses', () => {
    const view = homeView({ account: summarizeAccount(account), latest: [] });
    const shown = text(view);
    expect(view.type).toBe('home');
    expect(shown).not.toContain('+8613800135678');
    expect(shown).not.toContain('alice.billing@example.com');
    expect(shown).toContain('5678');
    expect(shown).toContain(slack.fields.unverifiedSuffix);
    expect(shown).toContain('Rejected: Blurry image');
    expect(shown).toContain(slack.home.consistencyHint);
    expect(shown).toContain(slack.home.noMessages);
  });

  it('has a button for every flow and stays within Slack limits', () => {
    const view = homeView({
      account: summarizeAccount(account),
      latest: Array.from({ length: 30 }, (_, index) => ({ at: '2026-01-01', text: `event ${index}` })),
    });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    for (const label of [slack.menu.mobile, slack.menu.password, slack.menu.reset, slack.menu.verify]) {
      expect(text(view)).toContain(label);
    }
  });

  it('asks an unlinked person to link first', () => {
    const view = homeView({ account: null, latest: [] });
    expect(text(view)).toContain(slack.buttons.linkAccount);
    expect(text(view)).not.toContain(slack.menu.mobile);
  });
});
