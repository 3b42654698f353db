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

/**
 * What the card shows. The document number is always the masked form: SPEC §5 never shows
 * one in a channel; a reviewer reads it in clear in their own "View document" modal.
 */
export interface ReviewCardInput {
  submission: VerificationSubmission;
  account: Account | null;
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

function imageLine(image: VerificationSubmission['image']): string {
  const c = review.card;
  if (image === null) return c.noImage;
  return c.imageAttached(c.imageTypes[image.contentType] ?? image.contentType, formatBytes(image.bytes));
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function detailBlocks(input: ReviewCardInput): KnownBlock[] {
  const { submission, account } = input;
  const c = review.card;
  const lines = [
    field(c.account, escapeMrkdwn(submission.accountId)),
    ...(account ? [field(c.accountName, escapeMrkdwn(account.accountName))] : []),
    field(c.subject, submission.kind === 'individual' ? c.individual : c.organization),
    field(c.documentType, review.documentTypes[submission.documentType]),
    field(c.name, escapeMrkdwn(submission.name)),
    field(c.region, escapeMrkdwn(submission.region)),
    field(c.documentNumber, escapeMrkdwn(submission.documentNumberMasked)),
    field(c.image, imageLine(submission.image)),
    field(c.submittedAt, formatDate(submission.submittedAt)),
    field(c.expectedBy, formatDate(input.expectedBy)),
  ];
  return [
    header(c.title),
    section(lines.join('\n')),
    ...(input.submitterId ? [context(c.submittedBy(input.submitterId))] : []),
  ];
}

/** The card reviewers act on: every detail they need, the number masked, Approve / Reject / View document. */
export function reviewCard(input: ReviewCardInput): ChannelMessage {
  const id = input.submission.id;
  return {
    text: review.card.fallback(input.submission.accountId),
    blocks: [
      ...detailBlocks(input),
      actions(`review:${id}`, [
        button(review.card.approve, ReviewActions.approve, { value: id, style: 'primary' }),
        button(review.card.reject, ReviewActions.reject, { value: id, style: 'danger' }),
        button(review.card.viewDocument, ReviewActions.viewDocument, { value: id }),
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
    blocks: [...detailBlocks(input), section(line)],
  };
}

export interface DocumentModalInput {
  submission: VerificationSubmission;
  /** Null when the stored number cannot be decrypted. */
  documentNumber: string | null;
  /** The one-time address of the image; null without an image or once retention removed it. */
  imageUrl: string | null;
}

/** What only the reviewer who pressed "View document" sees: the number in clear and the image link. */
export function documentModal(input: DocumentModalInput): ModalView {
  const d = review.document;
  const { submission } = input;
  const number =
    input.documentNumber === null
      ? review.card.documentUnreadable
      : `\`${escapeMrkdwn(input.documentNumber)}\``;
  const image: KnownBlock[] =
    submission.image === null
      ? [section(`*${d.image}:* ${d.noImage}`)]
      : input.imageUrl === null
        ? [section(`*${d.image}:* ${d.imageGone}`)]
        : [
            section(`*${d.image}:* ${imageLine(submission.image)}`),
            actions('document_image', [
              button(d.openImage, ReviewActions.openImage, { url: input.imageUrl }),
            ]),
            context(d.imageOnce),
          ];
  return {
    type: 'modal',
    title: modalTitle(d.title),
    close: plain(d.close),
    blocks: [
      context(d.intro),
      section(
        [
          field(review.card.account, submission.accountId),
          field(review.card.documentType, review.documentTypes[submission.documentType]),
          field(review.card.name, escapeMrkdwn(submission.name)),
          field(d.number, number),
        ].join('\n'),
      ),
      ...image,
    ],
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
