import type { AnyMachineSnapshot } from 'xstate';
import type { AccountAddressField } from './codes.js';
import type { ChangePasswordView } from '../change-password.js';
import type { EditBasicInfoView } from '../edit-basic-info.js';
import type { IdentityVerificationView } from '../identity-verification.js';
import type { LinkSlackUserView } from '../link-slack-user.js';
import type { ResetPasswordView } from '../reset-password.js';
import type { CodeChallengeView } from './code-challenge.js';
import type { ContactChangeView } from './contact-change.js';
import type { FlowContextBase, FlowStatus, FlowTag } from './flow.js';
import type { FlowMessageKey } from './messages.js';

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

/** Everything a flow can show: the union of every machine's views. */
export type FlowScreen =
  | CommonView
  | CodeChallengeView
  | EditBasicInfoView
  | ContactChangeView
  | ChangePasswordView
  | ResetPasswordView
  | IdentityVerificationView
  | LinkSlackUserView;

export type FlowView = FlowScreen & {
  machineId: string;
  /** State node id, e.g. `changeSecurityMobile.enterCode`. */
  stateId: string;
  notice: FlowMessageKey | null;
};

function isViewMeta(value: unknown): value is ViewMeta {
  return (
    typeof value === 'object' && value !== null && typeof (value as { view?: unknown }).view === 'string'
  );
}

function ownView(snapshot: AnyMachineSnapshot): { stateId: string; meta: ViewMeta } | null {
  const metas = snapshot.getMeta() as Record<string, unknown>;
  // Deepest state last: a child state's view wins over its parent's.
  const ids = Object.keys(metas).sort((a, b) => b.split('.').length - a.split('.').length);
  for (const stateId of ids) {
    const meta = metas[stateId];
    if (isViewMeta(meta)) return { stateId, meta };
  }
  return null;
}

function delegatedChild(snapshot: AnyMachineSnapshot, meta: ViewMeta): AnyMachineSnapshot | null {
  if (meta.view !== 'delegated') return null;
  const child: unknown = snapshot.children[meta.child]?.getSnapshot();
  if (typeof child !== 'object' || child === null || !('getMeta' in child)) return null;
  return child as AnyMachineSnapshot;
}

/** What to render for a snapshot, following delegation into a child machine. */
export function viewOf(snapshot: AnyMachineSnapshot): FlowView | null {
  const own = ownView(snapshot);
  if (own === null) return null;
  const child = delegatedChild(snapshot, own.meta);
  if (child !== null) return viewOf(child);
  const context = snapshot.context as FlowContextBase;
  // Each machine declares only views of its own context (its `types.meta` is its view union's).
  const screen = { view: own.meta.view, meta: own.meta, context } as FlowScreen;
  return { ...screen, machineId: snapshot.machine.id, stateId: own.stateId, notice: context.notice };
}

/** Whether the snapshot, or the child it delegates to, is in a state with this tag. */
export function hasFlowTag(snapshot: AnyMachineSnapshot, tag: FlowTag): boolean {
  if (snapshot.hasTag(tag)) return true;
  const own = ownView(snapshot);
  const child = own === null ? null : delegatedChild(snapshot, own.meta);
  return child !== null && hasFlowTag(child, tag);
}

/** The engine waits (bounded) while this is true before it persists and renders. */
export const isBusy = (snapshot: AnyMachineSnapshot): boolean => hasFlowTag(snapshot, 'busy');

/** The engine never persists a snapshot for which this is true. */
export const holdsSecret = (snapshot: AnyMachineSnapshot): boolean => hasFlowTag(snapshot, 'holdsSecret');
