import type {
  IdentityDetails,
  RecordReviewInput,
  SubmitIdentityInput,
  SubmitIdentityOutput,
} from '../../../machines/index.js';
import type { SubmissionInput } from '../../domain/account.js';
import { slackUserOf } from '../../domain/flow-owner.js';
import { FORM_ERROR_KEY, identitySubmission, validateForm } from '../../services/validation.js';
import { audit, once, oncePerEntry, requireAccount, type EffectScope } from './context.js';
import { errorKind } from '../../core/errors.js';

const DOCUMENT_TYPE = {
  passport: 'passport',
  driversLicense: 'drivers-license',
  workPermit: 'work-permit',
} as const;

/** The machine's form as the validation schema reads it. */
function formOf(details: IdentityDetails): Record<string, unknown> {
  if (details.subject === 'individual') {
    return {
      kind: 'individual',
      documentType: DOCUMENT_TYPE[details.documentType],
      fullLegalName: details.fullLegalName,
      documentNumber: details.documentNumber,
      issuingRegion: details.issuingRegion,
      documentImage: details.documentImageId,
    };
  }
  return {
    kind: 'organization',
    companyName: details.companyName,
    businessLicenceNumber: details.businessLicenceNumber,
    registeredRegion: details.registeredRegion,
    licenceImage: details.licenceImageId,
  };
}

/**
 * SPEC 3.10: validates, encrypts the document number, claims it for this account and files
 * the submission; schedules the overdue-review reminder. Runs from a `holdsSecret` state
 * only (its input holds the number), so it is never re-run after a restore.
 */
export function submitIdentity(ctx: EffectScope, input: SubmitIdentityInput): Promise<SubmitIdentityOutput> {
  return oncePerEntry(ctx, input.step, JSON.stringify(input.details), () => fileSubmission(ctx, input));
}

async function fileSubmission(ctx: EffectScope, input: SubmitIdentityInput): Promise<SubmitIdentityOutput> {
  const checked = validateForm(identitySubmission, formOf(input.details));
  if (!checked.ok) return { outcome: 'invalid', fieldErrors: checked.errors };
  const { deps } = ctx;
  const account = await requireAccount(ctx);
  const form = checked.value;
  const number = form.kind === 'individual' ? form.documentNumber : form.businessLicenceNumber;
  const imageField = form.kind === 'individual' ? 'documentImage' : 'licenceImage';
  const imageRef = form.kind === 'individual' ? form.documentImage : form.licenceImage;
  const image =
    imageRef === undefined ? null : await deps.documentImages.describe(account.accountId, imageRef);
  if (imageRef !== undefined && image === null) {
    return { outcome: 'invalid', fieldErrors: { [imageField]: { key: 'identity.imageGone' } } };
  }
  const submission: SubmissionInput = {
    kind: form.kind,
    documentType: form.kind === 'individual' ? form.documentType : 'business-licence',
    name: form.kind === 'individual' ? form.fullLegalName : form.companyName,
    region: form.kind === 'individual' ? form.issuingRegion : form.registeredRegion,
    ...deps.documents.protect(number),
    image,
  };
  const result = await deps.directory.submit(account.accountId, submission);
  if (result.outcome !== 'submitted') {
    await audit(ctx, {
      accountId: account.accountId,
      action: 'identity.submit',
      outcome: 'refused',
      detail: { reason: result.outcome },
    });
    const field = form.kind === 'individual' ? 'documentNumber' : 'businessLicenceNumber';
    return {
      outcome: 'invalid',
      fieldErrors:
        result.outcome === 'document-in-use'
          ? { [field]: { key: 'needsSupport' } }
          : { [FORM_ERROR_KEY]: { key: 'identity.submissionPending' } },
    };
  }
  if (image !== null) await deps.documentImages.markFiled(image.ref, result.submission.id);
  const window = await deps.reminders.scheduleReviewReminder({
    submissionId: result.submission.id,
    accountId: account.accountId,
    submittedAt: deps.clock.now(),
  });
  // The submission is filed: a card that cannot be posted now must not undo that for the
  // person (they would be told "already pending" forever). It is logged and audited instead.
  await deps.reviewChannel
    .postSubmission({
      submissionId: result.submission.id,
      accountId: account.accountId,
      owner: ctx.binding.owner,
      flowId: ctx.binding.flowId,
      expectedBy: window.overdueAt,
    })
    .catch(async (error: unknown) => {
      deps.logger.error(
        { submission: result.submission.id, err: errorKind(error) },
        'review card not posted',
      );
      await audit(ctx, {
        accountId: account.accountId,
        action: 'identity.review-card',
        outcome: 'failure',
        detail: { submission: result.submission.id },
      });
    });
  await audit(ctx, {
    accountId: account.accountId,
    action: 'identity.submitted',
    outcome: 'success',
    detail: { submission: result.submission.id, document: submission.documentNumberMasked },
  });
  return { outcome: 'submitted', submissionId: result.submission.id, expectedBy: window.overdueAt };
}

/** Records a reviewer's decision once; anyone not configured as a reviewer is refused here too. */
export async function recordReview(ctx: EffectScope, input: RecordReviewInput): Promise<void> {
  await once(ctx, input.step, async () => {
    const { deps } = ctx;
    if (!(await deps.isReviewer(input.reviewerId))) {
      await audit(ctx, {
        action: 'identity.review',
        outcome: 'refused',
        detail: { reviewer: input.reviewerId },
      });
      throw new Error('only a configured reviewer can decide');
    }
    // A reviewer's own submission needs another reviewer's eyes. Accounts are compared, not
    // Slack users: a second Slack identity linked to the applicant's account is the applicant.
    if (await reviewsOwnAccount(ctx, input.reviewerId)) {
      await audit(ctx, {
        action: 'identity.review',
        outcome: 'refused',
        detail: { reviewer: input.reviewerId, reason: 'own-submission' },
      });
      throw new Error('a reviewer cannot decide their own submission');
    }
    const result = await deps.directory.decide(input.submissionId, {
      decision: input.decision.decision,
      ...(input.decision.decision === 'rejected' ? { reason: input.decision.reason } : {}),
      reviewer: input.reviewerId,
      at: deps.clock.now(),
    });
    if (result.outcome === 'not-found') throw new Error('the submission is gone');
    await audit(ctx, {
      accountId: result.submission.accountId,
      action: 'identity.review',
      outcome: 'success',
      detail: { decision: input.decision.decision, reviewer: input.reviewerId },
    });
  });
}

async function reviewsOwnAccount(ctx: EffectScope, reviewerId: string): Promise<boolean> {
  const owner = slackUserOf(ctx.binding.owner);
  if (owner?.userId === reviewerId) return true;
  const teamId = owner?.teamId ?? ctx.deps.config.slack?.teamId;
  if (teamId === undefined) return false;
  const [reviewerAccount, account] = await Promise.all([
    ctx.deps.directory.getBySlackUser(teamId, reviewerId),
    requireAccount(ctx),
  ]);
  return reviewerAccount?.accountId === account.accountId;
}
