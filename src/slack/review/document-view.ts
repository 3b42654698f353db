import { TemporarilyUnavailableError } from '../../core/errors.js';
import type { SlackPersonRef } from '../../services/support.js';
import { errorText } from '../support/support-kit.js';
import type { DocumentModalInput } from '../views/review.js';
import { auditRefusal, isOwnSubmission, isReviewer, type ReviewDesk } from './decisions.js';
import { slackOwner } from '../../domain/flow-owner.js';

export type DocumentReveal =
  | { outcome: 'shown'; modal: DocumentModalInput }
  | { outcome: 'not-reviewer' | 'own-account' | 'gone' | 'unavailable' | 'failed' };

/**
 * "View document" on a review card: the number in clear (and the image link) for the
 * reviewer who pressed, never the channel. Refused for anyone but a reviewer and for the
 * reviewer's own account; every reveal is audited with who saw it.
 */
export async function revealDocument(
  desk: ReviewDesk,
  reviewer: SlackPersonRef,
  submissionId: string,
): Promise<DocumentReveal> {
  const { deps } = desk;
  try {
    if (!(await isReviewer(desk, reviewer))) {
      await auditRefusal(desk, reviewer, 'review.document-view', submissionId, 'not-reviewer');
      return { outcome: 'not-reviewer' };
    }
    const submission = await deps.stores.directory.getSubmission(submissionId);
    if (submission === null) return { outcome: 'gone' };
    if (await isOwnSubmission(desk, reviewer, submission)) {
      await auditRefusal(desk, reviewer, 'review.document-view', submissionId, 'own-account');
      return { outcome: 'own-account' };
    }
    let documentNumber: string | null = null;
    try {
      documentNumber = deps.services.documents.decrypt(submission.documentNumberEncrypted);
    } catch {
      deps.logger.error(
        { account: submission.accountId },
        'document number of a submission cannot be decrypted',
      );
    }
    await deps.stores.audit.record({
      actor: slackOwner(reviewer),
      action: 'review.document-view',
      outcome: 'success',
      accountId: submission.accountId,
      detail: { reviewer: reviewer.userId },
    });
    const kept =
      submission.image !== null &&
      (await deps.services.documentImages.describe(submission.accountId, submission.image.ref)) !== null;
    const imageUrl =
      kept && submission.image !== null
        ? await deps.services.documentViews.mint({
            ref: submission.image.ref,
            accountId: submission.accountId,
            reviewer: slackOwner(reviewer),
          })
        : null;
    return { outcome: 'shown', modal: { submission, documentNumber, imageUrl } };
  } catch (error) {
    if (error instanceof TemporarilyUnavailableError) return { outcome: 'unavailable' };
    deps.logger.error({ err: errorText(error) }, 'identity document could not be shown');
    return { outcome: 'failed' };
  }
}
