import type { Account, VerificationSubmission } from '../../domain/account.js';
import { review } from '../../messages/review.js';
import { TEXT_LIMITS } from '../../services/validation.js';
import { formatDate } from '../account-summary.js';
import {
  REJECT_REASON_ACTION_ID,
  REJECT_REASON_BLOCK_ID,
  REVIEW_REJECT_CALLBACK_ID,
  ReviewActions,
} from '../review/action-ids.js';
import {
  actions,
  button,
  context,
  escapeMrkdwn,
  header,
  modalTitle,
  plain,
  section,
  type KnownBlock,
  type ModalView,
} from './blocks.js';

export interface ReviewCardInput {
  submission: VerificationSubmission;
  account: Account | null;
  /**
   * The decrypted number while the card waits for a decision (null when it cannot be
   * read); once decided the card shows only the masked form.
   */
  documentNumber: string | null;
  /** The Slack user who submitted, when the flow belongs to one. */
  submitterId: string | null;
  expectedBy: number;
}

export interface ChannelMessage {
  text: string;
  blocks: KnownBlock[];
}

function field(label: string, value: string): string {
  return `*${label}:* ${value}`;
}

function detailBlocks(input: ReviewCardInput, showNumber: boolean): KnownBlock[] {
  const { submission, account } = input;
  const c = review.card;
  const number = showNumber
    ? input.documentNumber === null
      ? c.documentUnreadable
      : `\`${escapeMrkdwn(input.documentNumber)}\``
    : escapeMrkdwn(submission.documentNumberMasked);
  const lines = [
    field(c.account, escapeMrkdwn(submission.accountId)),
    ...(account ? [field(c.accountName, escapeMrkdwn(account.accountName))] : []),
    field(c.subject, submission.kind === 'individual' ? c.individual : c.organization),
    field(c.documentType, review.documentTypes[submission.documentType]),
    field(c.name, escapeMrkdwn(submission.name)),
    field(c.region, escapeMrkdwn(submission.region)),
    field(c.documentNumber, number),
    field(c.image, submission.image ? escapeMrkdwn(submission.image.ref) : c.noImage),
    field(c.submittedAt, formatDate(submission.submittedAt)),
    field(c.expectedBy, formatDate(input.expectedBy)),
  ];
  return [
    header(c.title),
    section(lines.join('\n')),
    ...(input.submitterId ? [context(c.submittedBy(input.submitterId))] : []),
  ];
}

/** The card reviewers act on: every detail they need, the number in clear, Approve / Reject. */
export function reviewCard(input: ReviewCardInput): ChannelMessage {
  const id = input.submission.id;
  return {
    text: review.card.fallback(input.submission.accountId),
    blocks: [
      ...detailBlocks(input, true),
      actions(`review:${id}`, [
        button(review.card.approve, ReviewActions.approve, { value: id, style: 'primary' }),
        button(review.card.reject, ReviewActions.reject, { value: id, style: 'danger' }),
      ]),
    ],
  };
}

export interface DecisionLine {
  decision: 'approved' | 'rejected';
  reviewerId: string;
  at: number;
  reason?: string;
}

/** The same card once decided: the decision and reviewer instead of buttons, the number masked. */
export function decidedCard(input: ReviewCardInput, decision: DecisionLine): ChannelMessage {
  const at = formatDate(decision.at);
  const line =
    decision.decision === 'approved'
      ? review.card.approved(decision.reviewerId, at)
      : review.card.rejected(decision.reviewerId, at, escapeMrkdwn(decision.reason ?? ''));
  return {
    text: review.card.decidedFallback(input.submission.accountId),
    blocks: [...detailBlocks(input, false), section(line)],
  };
}

/** Asks for the reason; the submission id rides in private_metadata, nothing else. */
export function rejectReasonModal(submissionId: string): ModalView {
  return {
    type: 'modal',
    callback_id: REVIEW_REJECT_CALLBACK_ID,
    private_metadata: submissionId,
    title: modalTitle(review.modal.title),
    submit: plain(review.modal.submit),
    close: plain(review.modal.cancel),
    blocks: [
      section(review.modal.intro),
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK_ID,
        label: plain(review.modal.reasonLabel),
        element: {
          type: 'plain_text_input',
          action_id: REJECT_REASON_ACTION_ID,
          multiline: true,
          max_length: TEXT_LIMITS.rejectReason,
        },
      },
    ],
  };
}

/** A reminder, posted in the card's thread when the card is known. */
export function overdueReminder(accountId: string): ChannelMessage {
  return { text: review.reminder.overdueFallback, blocks: [section(review.reminder.overdue(accountId))] };
}
