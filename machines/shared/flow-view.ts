import type { AnyMachineSnapshot } from 'xstate';
import type { ChangePasswordView } from '../change-password.js';
import type { EditBasicInfoView } from '../edit-basic-info.js';
import type { IdentityVerificationView } from '../identity-verification.js';
import type { LinkSlackUserView } from '../link-slack-user.js';
import type { ResetPasswordView } from '../reset-password.js';
import type { CodeChallengeView } from './code-challenge.js';
import type { ContactChangeView } from './contact-change.js';
import type { FlowContextBase, FlowTag } from './flow.js';
import type { FlowMessageKey } from './messages.js';
import type { CommonView, ViewMeta } from './view.js';

/** Everything a flow can show: the union of every machine's views. */
type FlowScreen =
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
