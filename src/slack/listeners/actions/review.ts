import type { BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { review } from '../../../messages/review.js';
import { fieldErrorText } from '../../../messages/validation.js';
import { rejectReason, validateForm } from '../../../services/validation.js';
import type { SlackPersonRef } from '../../../services/support.js';
import {
  REJECT_REASON_ACTION_ID,
  REJECT_REASON_BLOCK_ID,
  REVIEW_REJECT_CALLBACK_ID,
  ReviewActions,
} from '../../review/action-ids.js';
import {
  auditRefusal,
  decideReview,
  isOwnSubmission,
  isReviewer,
  type DecisionOutcome,
  type ReviewDesk,
} from '../../review/decisions.js';
import { errorText } from '../../support/support-kit.js';
import { revealDocument } from '../../review/document-view.js';
import { documentModal, rejectReasonModal } from '../../views/review.js';
import { linkButton, openModal, type SlackSurface } from '../flow-surface.js';

function personOf(body: BlockButtonAction | ViewSubmitAction): SlackPersonRef {
  return { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
}

function channelOf(body: BlockButtonAction): string | null {
  return body.channel?.id ?? (body.container as { channel_id?: string }).channel_id ?? null;
}

const ANSWERS: Record<Exclude<DecisionOutcome, 'decided'>, string> = {
  'not-reviewer': review.refusals.notReviewer,
  'own-account': review.refusals.ownAccount,
  'already-decided': review.refusals.alreadyDecided,
  gone: review.refusals.gone,
  unavailable: review.refusals.unavailable,
  failed: review.refusals.failed,
};

/** Why this person may not start a rejection, or null; the decision itself checks again. */
async function rejectRefusal(
  desk: ReviewDesk,
  person: SlackPersonRef,
  submissionId: string,
): Promise<string | null> {
  if (!(await isReviewer(desk, person))) return review.refusals.notReviewer;
  const submission = await desk.deps.stores.directory.getSubmission(submissionId);
  if (submission !== null && (await isOwnSubmission(desk, person, submission))) {
    await auditRefusal(desk, person, 'review.decide', submissionId, 'own-account');
    return review.refusals.ownAccount;
  }
  return null;
}

/** Tells only the person who clicked, in the channel they clicked in. */
async function tell(desk: ReviewDesk, channel: string | null, userId: string, text: string): Promise<void> {
  const target = channel ?? desk.deps.slack.reviewChannelId;
  if (target === null) return;
  await desk.client.chat
    .postEphemeral({ channel: target, user: userId, text })
    .catch((error: unknown) =>
      desk.deps.logger.warn({ err: errorText(error) }, 'review answer could not be shown to the reviewer'),
    );
}

/**
 * The review card's buttons and the reason modal. Approve decides at once; Reject opens the
 * modal first (the trigger lives ~3 s) and decides on its submission; View document opens
 * the clear number and image link for the reviewer alone. Everyone but a reviewer, and a
 * reviewer of their own account, gets an ephemeral refusal and nothing changes.
 */
export const reviewSlack: SlackSurface = {
  buttons: [
    {
      actionId: ReviewActions.approve,
      handle: async ({ reviewDesk: desk }, { body, action }) => {
        const outcome = await decideReview(desk, personOf(body), action.value ?? '', {
          decision: 'approved',
        });
        if (outcome !== 'decided') await tell(desk, channelOf(body), body.user.id, ANSWERS[outcome]);
      },
    },
    {
      actionId: ReviewActions.reject,
      handle: async ({ reviewDesk: desk }, { body, action, client }) => {
        const refusal = await rejectRefusal(desk, personOf(body), action.value ?? '');
        if (refusal !== null) {
          await tell(desk, channelOf(body), body.user.id, refusal);
          return;
        }
        await openModal(client, body.trigger_id, rejectReasonModal(action.value ?? ''));
      },
    },
    {
      actionId: ReviewActions.viewDocument,
      handle: async (kit, { body, action, client }) => {
        const desk = kit.reviewDesk;
        const reveal = await revealDocument(desk, personOf(body), action.value ?? '');
        if (reveal.outcome !== 'shown') {
          const answer =
            reveal.outcome === 'not-reviewer' ? review.refusals.notReviewerView : ANSWERS[reveal.outcome];
          await tell(desk, channelOf(body), body.user.id, answer);
          return;
        }
        await openModal(client, body.trigger_id, documentModal(reveal.modal));
      },
    },
    // The image link opens in the reviewer's browser.
    linkButton(ReviewActions.openImage),
  ],
  modals: [
    {
      callbackId: REVIEW_REJECT_CALLBACK_ID,
      handle: async ({ reviewDesk: desk }, { ack, body, view }) => {
        // The modal's max_length is only a hint to Slack's client; a forged submission meets this.
        const checked = validateForm(z.object({ reason: rejectReason }), {
          reason: view.state.values[REJECT_REASON_BLOCK_ID]?.[REJECT_REASON_ACTION_ID]?.value ?? null,
        });
        if (!checked.ok) {
          await ack({
            response_action: 'errors',
            errors: {
              [REJECT_REASON_BLOCK_ID]: fieldErrorText(
                checked.errors.reason ?? { key: 'review.reasonRequired' },
              ),
            },
          });
          return;
        }
        const { reason } = checked.value;
        if (!(await isReviewer(desk, personOf(body)))) {
          await ack({
            response_action: 'errors',
            errors: { [REJECT_REASON_BLOCK_ID]: review.refusals.notReviewer },
          });
          return;
        }
        await ack();
        const outcome = await decideReview(desk, personOf(body), view.private_metadata, {
          decision: 'rejected',
          reason,
        });
        if (outcome !== 'decided') await tell(desk, null, body.user.id, ANSWERS[outcome]);
      },
    },
  ],
};
