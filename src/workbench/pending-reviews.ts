import type { FlowEngine } from '../engine/flow-engine.js';
import type { AccountDirectory } from '../ports/account-directory.js';
import type { ReviewChannel } from '../ports/review-channel.js';
import type { OrganizationDetails } from '../../machines/shared/effects.js';
import { WORKBENCH_TEAM_ID } from './people.js';
import { slackOwner, type FlowOwner } from '../domain/flow-owner.js';

interface DemoReview {
  userId: string;
  loginEmail: string;
  details: OrganizationDetails;
}

/** Carmen's organization waits for review, filed as she would file it so a reviewer can decide it. */
const DEMO_REVIEWS: readonly DemoReview[] = [
  {
    userId: 'U0CARMEN',
    loginEmail: 'carmen@example.com',
    details: {
      subject: 'organization',
      companyName: 'Ruiz Metalworks SL',
      businessLicenceNumber: 'B12345674',
      registeredRegion: 'ES',
    },
  },
];

/**
 * Files each demo submission through the identity verification flow, exactly as the person's
 * clicks would: the flow posts the review card and waits, parked, for a reviewer's decision.
 * A submission filed earlier (`npm run seed`, a kept Redis) is not filed again; with a review
 * channel given, its waiting flow gets its card there, since the Slack an earlier run posted
 * to may be gone.
 */
export async function fileDemoReviews(
  engine: FlowEngine,
  directory: AccountDirectory,
  reviewChannel?: ReviewChannel,
): Promise<void> {
  for (const review of DEMO_REVIEWS) {
    const account = await directory.getByLoginEmail(review.loginEmail);
    if (account === null) continue;
    const owner = slackOwner({ teamId: WORKBENCH_TEAM_ID, userId: review.userId });
    if (account.verification.status === 'unverified')
      await fileReview(engine, owner, account.accountId, review);
    else if (account.verification.status === 'pending' && reviewChannel)
      await showWaitingReview(engine, owner, account.accountId, reviewChannel);
  }
}

async function fileReview(
  engine: FlowEngine,
  owner: FlowOwner,
  accountId: string,
  review: DemoReview,
): Promise<void> {
  const started = await engine.start(
    owner,
    'identityVerification',
    {},
    { accountId, flowId: demoFlowId(accountId) },
  );
  if (started.status !== 'active') return;
  await engine.send(owner, started.flowId, { type: 'CHOOSE_SUBJECT', subject: review.details.subject });
  await engine.send(owner, started.flowId, { type: 'ACKNOWLEDGE_WARNINGS' });
  await engine.send(owner, started.flowId, { type: 'SUBMIT_IDENTITY', details: review.details });
}

async function showWaitingReview(
  engine: FlowEngine,
  owner: FlowOwner,
  accountId: string,
  reviewChannel: ReviewChannel,
): Promise<void> {
  const flowId = demoFlowId(accountId);
  const waiting = await engine.current(owner, flowId);
  if (waiting.status !== 'active' || waiting.view?.view !== 'identityPending') return;
  const { submissionId, expectedBy } = waiting.view.context;
  if (submissionId === null || expectedBy === null) return;
  await reviewChannel.postSubmission({ submissionId, accountId, owner, flowId, expectedBy });
}

/** A parked flow is nobody's active flow: a later run finds it again by this id. */
function demoFlowId(accountId: string): string {
  return `demo-review-${accountId}`;
}
