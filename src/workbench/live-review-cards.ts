import type { ReviewCards } from '../ports/review-cards.js';
import type { SlackEmulator } from './slack-emulator.js';

/**
 * The workbench's Slack lives only as long as its process, while a kept Redis remembers the
 * cards an earlier run posted and the claims it took. Seen from this run, a card whose
 * message the emulator does not hold was never posted, and only this process posts into its
 * emulator, so its claims are kept here: a pending review then gets a card it can be decided from.
 */
export function liveReviewCards(cards: ReviewCards, emulator: SlackEmulator): ReviewCards {
  const claimed = new Set<string>();
  return {
    claimPosting: async (accountId, submissionId) => {
      if (claimed.has(submissionId)) return false;
      claimed.add(submissionId);
      return true;
    },
    save: (card) => cards.save(card),
    find: async (accountId, submissionId) => {
      const card = await cards.find(accountId, submissionId);
      return card && emulator.message(card.channel, card.ts) ? card : null;
    },
  };
}
