import { describe, expect, it } from 'vitest';
import { support } from '../../messages/support.js';
import type { SupportSummary } from '../../services/support.js';
import { RESET_OFFER_ACTION_ID } from '../support/action-ids.js';
import { handOffDm, lookupMessage, resetOfferMessage } from './support.js';

const summary: SupportSummary = {
  accountId: '1000001',
  accountName: 'Dana',
  loginEmail: 'd***a@example.com',
  securityMobile: null,
  verification: 'pending',
  lock: { reason: 'reported <by> owner', at: Date.UTC(2026, 0, 5) },
  codesLockedUntil: Date.UTC(2026, 0, 5, 11, 15),
  recent: [{ action: 'account.not-me', outcome: 'success', at: Date.UTC(2026, 0, 5, 10, 30) }],
};

describe('support views', () => {
  it('lookup shows the masked summary in blocks and in the text a command response uses', () => {
    const message = lookupMessage('U0DANA', summary);
    for (const part of [message.text, JSON.stringify(message.blocks)]) {
      expect(part).toContain('1000001');
      expect(part).toContain('d***a@example.com');
      expect(part).toContain('not set');
      expect(part).toContain('Pending review');
      expect(part).toContain(support.lookup.locked('reported &lt;by&gt; owner', '2026-01-05'));
      expect(part).toContain('2026-01-05 10:30 UTC account.not-me (success)');
      expect(part).toContain(support.lookup.codesLockedValue('2026-01-05 11:15 UTC'));
    }
  });

  it('lookup says when there is no recent activity', () => {
    expect(lookupMessage('U0DANA', { ...summary, recent: [], lock: null }).text).toContain(
      support.lookup.noRecent,
    );
  });

  it('the reset offer is a button that starts the reset flow, with no URL', () => {
    const offer = resetOfferMessage();
    const text = JSON.stringify(offer.blocks);
    expect(text).toContain(RESET_OFFER_ACTION_ID);
    expect(text).toContain('"value":"resetPassword"');
    expect(text).not.toMatch(/"url"|https?:/);
  });

  it('the hand-off DM explains the move and offers the menu', () => {
    const dm = handOffDm();
    expect(dm.text).toBe(support.mention.dmIntro);
    expect(dm.blocks.some((block) => block.type === 'actions')).toBe(true);
  });
});
