import type { ReviewCard, ReviewCards } from '../../ports/review-cards.js';
import {
  parseReviewCard,
  POSTING_CLAIM_MS,
  REVIEW_CARD_TTL_MS,
  serializeReviewCard,
} from '../../ports/review-cards.js';
import { guarded, type RedisClient } from './connection.js';
import type { RedisKeys } from './keys.js';

/** A card and its posting claim under the account's hash tag; the claim is one `SET NX PX`. */
export class RedisReviewCards implements ReviewCards {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly ttlMs = REVIEW_CARD_TTL_MS,
  ) {}

  async claimPosting(accountId: string, submissionId: string): Promise<boolean> {
    const key = this.keys.account(accountId, 'review-card-posting', submissionId);
    const answer = await guarded('claim review card posting', () =>
      this.redis.set(key, '1', 'PX', POSTING_CLAIM_MS, 'NX'),
    );
    return answer === 'OK';
  }

  async save(card: ReviewCard): Promise<void> {
    const stored = serializeReviewCard(card);
    const key = this.keys.account(card.accountId, 'review-card', card.submissionId);
    await guarded('save review card', () => this.redis.set(key, stored, 'PX', this.ttlMs));
  }

  async find(accountId: string, submissionId: string): Promise<ReviewCard | null> {
    const key = this.keys.account(accountId, 'review-card', submissionId);
    const raw = await guarded('find review card', () => this.redis.get(key));
    return raw === null ? null : parseReviewCard(raw);
  }
}
