import type { AccountAddressField } from './codes.js';
import type { FlowContextBase, FlowStatus } from './flow.js';

/**
 * The view-model every state carries in `meta`. It names what the person sees; the values
 * shown (masked targets, deadlines, notices, field errors) come from the machine's context.
 * Adapters (Slack, web) turn it into blocks or HTML; machines never do.
 */
export type ViewMeta =
  /** The state waits on an effect; shown only if the engine gives up waiting. */
  | { view: 'working' }
  /** A child machine (step-up, a code challenge) is in charge: render the child's view instead. */
  | { view: 'delegated'; child: 'stepUp' | 'codeChallenge' }
  | { view: 'enterValue'; field: AccountAddressField }
  /** The code challenge's context says what the code is for (`purpose`) and where it went. */
  | { view: 'enterCode' }
  | { view: 'codeNeedsResend' }
  | { view: 'accountOverview' }
  | { view: 'editBasicInfo' }
  | { view: 'openPasswordPage' }
  | { view: 'passwordLinkExpired' }
  | { view: 'forgotPassword' }
  | { view: 'newPassword' }
  | { view: 'identitySubject' }
  | { view: 'identityWarnings' }
  | { view: 'identityForm' }
  | { view: 'identityPending' }
  | { view: 'identityRejected' }
  | { view: 'noAccountMatch' }
  | { view: 'finished'; outcome: FlowStatus };

export type ViewName = ViewMeta['view'];

/**
 * A machine's views, one member per view name, each with the context it reads. Switching on
 * `view` narrows `meta` and `context` together, so a renderer reads typed values.
 */
export type MachineView<V extends ViewName, C> = {
  [K in V]: { view: K; meta: Extract<ViewMeta, { view: K }>; context: Readonly<C> };
}[V];

/** The views every flow has. */
export type CommonView = MachineView<'working' | 'delegated' | 'finished', FlowContextBase>;

/** The views a machine's states may declare: its own and the common ones. */
export type MetaOf<V extends { meta: ViewMeta }> = V['meta'] | CommonView['meta'];
