import { describe, expect, it } from 'vitest';
import type { VerificationSubmission } from '../../domain/account.js';
import { review } from '../../messages/review.js';
import { REVIEW_REJECT_CALLBACK_ID, ReviewActions } from '../review/action-ids.js';
import {
  decidedCard,
  documentModal,
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
  submitterId: 'U0DANA',
  expectedBy: Date.UTC(2026, 0, 9),
};

const json = (value: unknown) => JSON.stringify(value);

describe('review card', () => {
  it('shows the reviewer every detail, the number masked, and Approve / Reject / View document carrying the submission id', () => {
    const card = reviewCard(input);
    const text = json(card.blocks);
    for (const expected of [
      'E1****78',
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
      { action_id: ReviewActions.viewDocument, value: submission.id },
    ]);
    expect(text).toContain(review.card.noImage);
  });

  it('describes an attached image by type and size, never by its storage reference', () => {
    const image = {
      ref: '1000001.abcdef',
      contentType: 'image/png' as const,
      bytes: 2_500_000,
      digest: 'd'.repeat(64),
    };
    const text = json(reviewCard({ ...input, submission: { ...submission, image } }).blocks);
    expect(text).toContain(review.card.imageAttached('PNG image', '2.4 MB'));
    expect(text).not.toContain(image.ref);
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

describe('document modal', () => {
  it('shows the number in clear and, with an image, a link button to the one-time address', () => {
    const image = {
      ref: '1000001.abcdef',
      contentType: 'image/jpeg' as const,
      bytes: 2048,
      digest: 'd'.repeat(64),
    };
    const modal = documentModal({
      submission: { ...submission, image },
      documentNumber: 'E12345678',
      imageUrl: 'https://aa.example/documents/tok',
    });
    const text = json(modal.blocks);
    expect(text).toContain('E12345678');
    const buttons = modal.blocks.flatMap((block) =>
      block.type === 'actions' && 'elements' in block ? block.elements : [],
    );
    expect(buttons).toMatchObject([
      { action_id: ReviewActions.openImage, url: 'https://aa.example/documents/tok' },
    ]);
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
  });

  it('says when the number is unreadable, when there is no image and when retention removed it', () => {
    expect(json(documentModal({ submission, documentNumber: null, imageUrl: null }).blocks)).toContain(
      review.card.documentUnreadable,
    );
    expect(json(documentModal({ submission, documentNumber: 'E1', imageUrl: null }).blocks)).toContain(
      review.document.noImage,
    );
    const image = {
      ref: '1000001.abcdef',
      contentType: 'image/jpeg' as const,
      bytes: 2048,
      digest: 'd'.repeat(64),
    };
    expect(
      json(
        documentModal({ submission: { ...submission, image }, documentNumber: 'E1', imageUrl: null }).blocks,
      ),
    ).toContain(review.document.imageGone);
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
