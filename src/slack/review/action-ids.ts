/** Review card buttons carry the submission id as their value; the reject modal keeps it in private_metadata. */
export const ReviewActions = {
  approve: 'review_approve',
  reject: 'review_reject',
  viewDocument: 'review_view_document',
  /** The image link button in the document modal; a URL button still needs a listener that acks. */
  openImage: 'review_open_image',
} as const;

export const REVIEW_REJECT_CALLBACK_ID = 'review_reject_reason';

export const REJECT_REASON_BLOCK_ID = 'review_reason';
export const REJECT_REASON_ACTION_ID = 'reason';
