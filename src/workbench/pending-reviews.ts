import type { FlowEngine } from '../engine/flow-engine.js';
import type { AccountDirectory } from '../ports/account-directory.js';
import type { OrganizationDetails } from '../../machines/shared/effects.js';
import { WORKBENCH_TEAM_ID } from './people.js';
import { slackOwner } from '../domain/flow-owner.js';

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
 * An account that already has a submission (a kept Redis) is left as it is.
 */
export async function fileDemoReviews(engine: FlowEngine, directory: AccountDirectory): Promise<void> {
  for (const review of DEMO_REVIEWS) {
    const account = await directory.getByLoginEmail(review.loginEmail);
    if (account?.verification.status !== 'unverified') continue;
    const owner = slackOwner({ teamId: WORKBENCH_TEAM_ID, userId: review.userId });
    const started = await engine.start(owner, 'identityVerification', {}, { accountId: account.accountId });
    if (started.status !== 'active') continue;
    await engine.send(owner, started.flowId, { type: 'CHOOSE_SUBJECT', subject: review.details.subject });
    await engine.send(owner, started.flowId, { type: 'ACKNOWLEDGE_WARNINGS' });
    await engine.send(owner, started.flowId, { type: 'SUBMIT_IDENTITY', details: review.details });
  }
}
