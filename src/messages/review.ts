/**
 * Sentences of the identity review channel (SPEC §3.10). The card shows the document number
 * masked (SPEC §5: never one in a channel); a reviewer sees it in clear only in their own
 * "View document" modal.
 */
const userRef = (userId: string): string => `<@${userId}>`;

export const review = {
  card: {
    title: 'Identity verification to review',
    fallback: (accountId: string) => `Identity verification to review for account ${accountId}`,
    account: 'Account',
    accountName: 'Account name',
    subject: 'Applicant',
    individual: 'Individual',
    organization: 'Organization',
    documentType: 'Document',
    name: 'Name',
    region: 'Region',
    documentNumber: 'Document number',
    documentUnreadable: 'unreadable: ask the person to submit again',
    image: 'Image',
    noImage: 'none attached',
    imageAttached: (type: string, size: string) => `${type}, ${size} (press View document)`,
    imageTypes: { 'image/jpeg': 'JPEG image', 'image/png': 'PNG image', 'application/pdf': 'PDF' } as Record<
      string,
      string
    >,
    submittedAt: 'Submitted',
    expectedBy: 'Decision expected by',
    submittedBy: (userId: string) => `Submitted by ${userRef(userId)}`,
    approve: 'Approve',
    reject: 'Reject',
    viewDocument: 'View document',
    approved: (reviewerId: string, at: string) =>
      `:white_check_mark: Approved by ${userRef(reviewerId)} on ${at}.`,
    rejected: (reviewerId: string, at: string, reason: string) =>
      `:x: Rejected by ${userRef(reviewerId)} on ${at}. Reason: ${reason}`,
    decidedFallback: (accountId: string) => `Identity verification for account ${accountId} decided`,
  },
  documentTypes: {
    passport: 'Passport',
    'drivers-license': "Driver's license",
    'work-permit': 'Work permit',
    'business-licence': 'Business licence',
  },
  modal: {
    title: 'Reject submission',
    intro:
      'The person sees this reason by direct message, email and SMS. Say what to fix so they can submit again.',
    reasonLabel: 'Reason',
    reasonRequired: 'Please give a reason: the person needs it to fix the submission.',
    submit: 'Reject',
    cancel: 'Back',
  },
  document: {
    title: 'Identity document',
    intro: 'Shown to you alone; this view is recorded in the audit log. Do not copy the number anywhere.',
    number: 'Document number',
    image: 'Document image',
    openImage: 'Open image (once)',
    imageOnce:
      'The image opens in your browser through a link that works once, for 5 minutes, and only for you. Press "View document" again for a new one.',
    noImage: 'No image was attached to this submission.',
    imageGone: 'The image is no longer kept (retention period over).',
    close: 'Close',
  },
  refusals: {
    notReviewer: 'Only identity reviewers can approve or reject submissions. Ask a reviewer in this channel.',
    notReviewerView: 'Only identity reviewers can view identity documents.',
    ownAccount:
      'This submission belongs to your own account: another reviewer has to view and decide it. Nothing was changed.',
    alreadyDecided: 'This submission has already been decided; the card shows the decision.',
    gone: 'This submission is no longer waiting for review (it was withdrawn or its flow ended). Nothing was changed.',
    unavailable:
      'The account store is temporarily unavailable. Nothing was changed; please try again in a minute.',
    failed: 'The decision could not be recorded. Nothing was changed; please try again.',
  },
  reminder: {
    overdue: (accountId: string) =>
      `:hourglass: The identity verification for account ${accountId} is past its expected decision date. Please review it.`,
    overdueFallback: 'An identity verification is overdue for review',
  },
} as const;
