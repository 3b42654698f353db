import type { webApi } from '@slack/bolt';
import type { SlackKit } from '../listeners/kit.js';
import { createSlackReviewChannel } from '../review/review-channel.js';
import type { ReviewDesk } from '../review/decisions.js';
import { createSupportKit, type SupportKit } from './support-kit.js';

const supportKits = new WeakMap<SlackKit, SupportKit>();
const desks = new WeakMap<SlackKit, ReviewDesk>();

/** One support kit per Slack app, so its listeners share the agents' user-group cache. */
export function supportKitOf(kit: SlackKit, client: webApi.WebClient): SupportKit {
  let found = supportKits.get(kit);
  if (!found) {
    found = createSupportKit(kit.deps, client);
    supportKits.set(kit, found);
  }
  return found;
}

export function reviewDeskOf(kit: SlackKit, client: webApi.WebClient): ReviewDesk {
  let found = desks.get(kit);
  if (!found) {
    const support = supportKitOf(kit, client);
    found = {
      deps: kit.deps,
      client,
      reviewers: support.reviewers,
      channel: createSlackReviewChannel(kit.deps, client),
    };
    desks.set(kit, found);
  }
  return found;
}
