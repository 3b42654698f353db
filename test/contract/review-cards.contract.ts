import { describe, expect, it } from 'vitest';
import type { ReviewCard, ReviewCards } from '../../src/ports/review-cards.js';

export const sampleCard = (overrides: Partial<ReviewCard> = {}): ReviewCard => ({
  submissionId: '1000001-0123456789abcdef',
  accountId: '1000001',
  owner: 'slack:T0TEST:U0DANA',
  flowId: 'flow-1',
  channel: 'C0REVIEW',
  ts: '1700000000.000100',
  expectedBy: Date.UTC(2026, 0, 9),
  ...overrides,
});

/** What every ReviewCards adapter does. */
export function describeReviewCardsContract(label: string, factory: () => Promise<ReviewCards>): void {
  describe(`ReviewCards contract (${label})`, () => {
    it('finds a saved card by account and submission', async () => {
      const cards = await factory();
      await cards.save(sampleCard());
      expect(await cards.find('1000001', '1000001-0123456789abcdef')).toEqual(sampleCard());
    });

    it('answers null for a card it never saw or of another account', async () => {
      const cards = await factory();
      await cards.save(sampleCard());
      expect(await cards.find('1000001', '1000001-fedcba9876543210')).toBeNull();
      expect(await cards.find('1000002', '1000001-0123456789abcdef')).toBeNull();
    });

    it('replaces a card saved again for the same submission', async () => {
      const cards = await factory();
      await cards.save(sampleCard());
      await cards.save(sampleCard({ ts: '1700000001.000200' }));
      expect((await cards.find('1000001', '1000001-0123456789abcdef'))?.ts).toBe('1700000001.000200');
    });

    it('lets one caller claim the posting of a card', async () => {
      const cards = await factory();
      const claims = await Promise.all([
        cards.claimPosting('1000001', '1000001-0123456789abcdef'),
        cards.claimPosting('1000001', '1000001-0123456789abcdef'),
      ]);
      expect(claims.sort()).toEqual([false, true]);
      expect(await cards.claimPosting('1000001', '1000001-fedcba9876543210')).toBe(true);
    });

    it('refuses to save a card with missing parts', async () => {
      const cards = await factory();
      await expect(cards.save(sampleCard({ flowId: '' }))).rejects.toThrow();
      expect(await cards.find('1000001', '1000001-0123456789abcdef')).toBeNull();
    });
  });
}
