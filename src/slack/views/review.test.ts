import { describe, expect, it } from 'vitest';
import type { VerificationSubmission } from '../../domain/account.js';
import { review } from '../../messages/review.js';
import { REVIEW_REJECT_CALLBACK_ID, ReviewActions } from '../review/action-ids.js';
import {
  decidedCard,
  overdueReminder,
  rejectReasonModal,
  reviewCard,
  type ReviewCardInput,
} from './review.js';

const submission: VerificationSubmission = {
  id: '1000001-0123456789abcdef',
  accountId: '1000001',
  kind: 'individual',
  documentType: 'passport',
  name: 'Dana <Li>',
  region: 'CN',
  documentNumberEncrypted: `v1.${'a'.repeat(16)}.${'b'.repeat(20)}.${'c'.repeat(22)}`,
  documentHash: 'f'.repeat(64),
  documentNumberMasked: 'E1****78',
  image: null,
  submittedAt: Date.UTC(2026, 0, 5),
  status: 'pending',
  decision: null,
};

const input: ReviewCardInput = {
  submission,
  account: null,
  documentNumber: 'E12345678',
  submitterId: 'U0DANA',
  expectedBy: Date.UTC(2026, 0, 9),
};

const json = (value: unknown) => JSON.stringify(value);

describe('review card', () => {
  it('shows the reviewer every detail, the number in clear, and Approve / Reject carrying the submission id', () => {
    const card = reviewCard(input);
    const text = json(card.blocks);
    for (const expected of [
      'E12345678',
      '1000001',
      'Passport',
      'Dana &lt;Li&gt;',
      'CN',
      '2026-01-09',
      '<@U0DANA>',
    ]) {
      expect(text).toContain(expected);
    }
    const buttons = card.blocks.flatMap((block) => (block.type === 'actions' ? block.elements : []));
    expect(buttons).toMatchObject([
      { action_id: ReviewActions.approve, value: submission.id, style: 'primary' },
      { action_id: ReviewActions.reject, value: submission.id, style: 'danger' },
    ]);
    expect(card.text).not.toContain('E12345678');
  });

  it('says when the number cannot be read rather than showing nothing', () => {
    expect(json(reviewCard({ ...input, documentNumber: null }).blocks)).toContain(
      review.card.documentUnreadable,
    );
  });

  it('once decided, drops the buttons and the clear number and names the reviewer and reason', () => {
    const card = decidedCard(input, {
      decision: 'rejected',
      reviewerId: 'U0REV',
      at: Date.UTC(2026, 0, 6),
      reason: 'Blurry <scan>',
    });
    const text = json(card.blocks);
    expect(card.blocks.some((block) => block.type === 'actions')).toBe(false);
    expect(text).not.toContain('E12345678');
    expect(text).toContain('E1****78');
    expect(text).toContain(review.card.rejected('U0REV', '2026-01-06', 'Blurry &lt;scan&gt;'));
    expect(json(decidedCard(input, { decision: 'approved', reviewerId: 'U0REV', at: 0 }).blocks)).toContain(
      review.card.approved('U0REV', '1970-01-01'),
    );
  });
});

describe('reject reason modal', () => {
  it('keeps only the submission id in private_metadata and asks for the reason', () => {
    const modal = rejectReasonModal(submission.id);
    expect(modal).toMatchObject({ callback_id: REVIEW_REJECT_CALLBACK_ID, private_metadata: submission.id });
    expect(json(modal.blocks)).toContain(review.modal.reasonLabel);
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
  });
});

describe('overdue reminder', () => {
  it('names the account, not the document', () => {
    const reminder = overdueReminder('1000001');
    expect(json(reminder.blocks)).toContain(review.reminder.overdue('1000001'));
  });
});
