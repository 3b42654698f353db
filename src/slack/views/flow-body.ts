import type { FlowView } from '../../../machines/shared/flow-view.js';
import type { ViewName } from '../../../machines/shared/view.js';
import type { AccountSummary } from '../account-summary.js';
import type { Button } from './blocks.js';

/** The lines and buttons under a flow message's title for one view. */
export interface ViewBody {
  lines: string[];
  buttons: Button[];
}

/** What a view's renderer may use besides the view itself. */
export interface BodyInput {
  flowId: string;
  now: number;
  /** The change-password page URL, present only on the one render right after it was minted. */
  passwordUrl: string | null;
  /** The account, masked, for the account-information overview (SPEC §3.2 shows all of §2). */
  account: AccountSummary | null;
  /** Every view that waits on the person offers it last. */
  cancel: Button;
}

/** A flow's renderers, one per view it owns; each gets the view narrowed to its own type. */
export type ViewRenderers = {
  [V in ViewName]?: (view: Extract<FlowView, { view: V }>, input: BodyInput) => ViewBody;
};
