import type { Clock } from '../../core/clock.js';
import type { ReviewCard, ReviewCards } from '../../ports/review-cards.js';
import {
  parseReviewCard,
  POSTING_CLAIM_MS,
  REVIEW_CARD_TTL_MS,
  serializeReviewCard,
} from '../../ports/review-cards.js';

export class MemoryReviewCards implements ReviewCards {
  private readonly entries = new Map<string, { raw: string; expiresAt: number }>();
  private readonly claims = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = REVIEW_CARD_TTL_MS,
  ) {}

  async claimPosting(accountId: string, submissionId: string): Promise<boolean> {
    const key = `${accountId}:${submissionId}`;
    const now = this.clock.now();
    const until = this.claims.get(key);
    if (until !== undefined && until > now) return false;
    this.claims.set(key, now + POSTING_CLAIM_MS);
    return true;
  }

  async save(card: ReviewCard): Promise<void> {
    this.entries.set(`${card.accountId}:${card.submissionId}`, {
      raw: serializeReviewCard(card),
      expiresAt: this.clock.now() + this.ttlMs,
    });
  }

  async find(accountId: string, submissionId: string): Promise<ReviewCard | null> {
    const key = `${accountId}:${submissionId}`;
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return null;
    }
    return parseReviewCard(entry.raw);
  }
}
