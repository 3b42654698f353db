import { z } from 'zod';
import { parseStoredRecord } from '../core/stored-record.js';

/**
 * Where a submission's review card is and which flow waits for its decision. Reviewer
 * buttons carry only the submission id; the owner and flow are read here, never from the
 * payload, so a forged value cannot steer a decision into someone else's flow.
 */
export interface ReviewCard {
  submissionId: string;
  accountId: string;
  owner: string;
  flowId: string;
  channel: string;
  ts: string;
  expectedBy: number;
}

export interface ReviewCards {
  /**
   * True for the first caller while the claim lives: that caller posts the card. Two renders
   * of the same pending flow at once must not post two cards; a crashed poster's claim
   * lapses and the next render posts.
   */
  claimPosting(accountId: string, submissionId: string): Promise<boolean>;
  /** Refuses a card with missing parts. */
  save(card: ReviewCard): Promise<void>;
  find(accountId: string, submissionId: string): Promise<ReviewCard | null>;
}

/**
 * Reviews take days (SPEC §3.10: 2–4 business days, then reminders); a card outlives any
 * review that is still worth deciding and then disappears with its key.
 */
export const REVIEW_CARD_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/** Long enough for one chat.postMessage with retries off; short enough to retry soon after a crash. */
export const POSTING_CLAIM_MS = 30_000;

const cardSchema = z.object({
  submissionId: z.string().min(1),
  accountId: z.string().min(1),
  owner: z.string().min(1),
  flowId: z.string().min(1),
  channel: z.string().min(1),
  ts: z.string().min(1),
  expectedBy: z.number().int().nonnegative(),
});

/** The card as it is stored; throws on a card with missing parts. */
export function serializeReviewCard(card: ReviewCard): string {
  return JSON.stringify(cardSchema.parse(card));
}

/** A stored card read back; anything else is reported as corrupt, never used. */
export function parseReviewCard(raw: string): ReviewCard {
  return parseStoredRecord('review card', raw, cardSchema);
}
