import { z } from 'zod';
import { guarded, type RedisClient } from '../../adapters/redis/connection.js';
import { RedisKeys } from '../../adapters/redis/keys.js';
import type { Clock } from '../../core/clock.js';
import { CorruptRecordError } from '../../core/errors.js';

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

function parseCard(raw: string): ReviewCard {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new CorruptRecordError('review card', 'not JSON');
  }
  const result = cardSchema.safeParse(parsed);
  if (!result.success) throw new CorruptRecordError('review card', result.error.message);
  return result.data;
}

export class RedisReviewCards implements ReviewCards {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    keyPrefix: string,
    private readonly ttlMs = REVIEW_CARD_TTL_MS,
  ) {
    this.keys = new RedisKeys(keyPrefix);
  }

  async claimPosting(accountId: string, submissionId: string): Promise<boolean> {
    const key = this.keys.account(accountId, 'review-card-posting', submissionId);
    const answer = await guarded('claim review card posting', () =>
      this.redis.set(key, '1', 'PX', POSTING_CLAIM_MS, 'NX'),
    );
    return answer === 'OK';
  }

  async save(card: ReviewCard): Promise<void> {
    const valid = cardSchema.parse(card);
    const key = this.keys.account(card.accountId, 'review-card', card.submissionId);
    await guarded('save review card', () => this.redis.set(key, JSON.stringify(valid), 'PX', this.ttlMs));
  }

  async find(accountId: string, submissionId: string): Promise<ReviewCard | null> {
    const key = this.keys.account(accountId, 'review-card', submissionId);
    const raw = await guarded('find review card', () => this.redis.get(key));
    return raw === null ? null : parseCard(raw);
  }
}

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
    const valid = cardSchema.parse(card);
    this.entries.set(`${card.accountId}:${card.submissionId}`, {
      raw: JSON.stringify(valid),
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
    return parseCard(entry.raw);
  }
}

const shared = new WeakMap<object, ReviewCards>();

/**
 * The card store of one store set. The review channel (built by the composition root for the
 * engine) and the reviewer listeners (built with the Slack app) must see the same cards; on
 * Redis any instance does, in process they share this one.
 */
export function reviewCardsFor(
  stores: { redis: RedisClient | null },
  keyPrefix: string,
  clock: Clock,
): ReviewCards {
  const existing = shared.get(stores);
  if (existing) return existing;
  const cards = stores.redis ? new RedisReviewCards(stores.redis, keyPrefix) : new MemoryReviewCards(clock);
  shared.set(stores, cards);
  return cards;
}
