import type { ChangePasswordEvent } from '../../machines/change-password.js';
import type { EditBasicInfoEvent } from '../../machines/edit-basic-info.js';
import type { IdentityVerificationEvent } from '../../machines/identity-verification.js';
import type { FlowOutput, FlowView, TickEvent } from '../../machines/index.js';
import type { LinkSlackUserEvent } from '../../machines/link-slack-user.js';
import type { ResetPasswordEvent } from '../../machines/reset-password.js';
import type { ContactChangeEvent } from '../../machines/shared/contact-change.js';
import type { StepUpEvent } from '../../machines/step-up.js';
import type { Account } from '../domain/account.js';
import type { FlowOwner } from '../domain/flow-owner.js';
import type { FlowId, StartInput } from './flow-registry.js';

export type { FlowOwner } from '../domain/flow-owner.js';

/** How and when a flow finished, remembered a day after. */
export interface FlowEnding {
  output: FlowOutput;
  at: number;
}

export type EngineResult =
  | { status: 'active'; flowId: string; machineId: FlowId; view: FlowView | null; busy: boolean }
  | {
      status: 'finished';
      flowId: string;
      machineId: FlowId;
      output: FlowOutput;
      view: FlowView | null;
      /** The flow session store wrote the finish into the flow's record (its finishing compare-and-set). */
      recorded?: true;
    }
  /** start() while another flow is open → offer Resume / Cancel (null: it ended meanwhile). */
  | { status: 'conflict'; activeFlowId: string; activeMachineId: FlowId | null }
  /** Duplicate, or a lost compare-and-set after one retry; `ended` when the flow finished since. */
  | { status: 'already-handled'; flowId: string; ended?: FlowEnding }
  /** Idle too long: say so. */
  | { status: 'expired'; flowId: string }
  /** Unknown or finished flow. */
  | { status: 'missing'; flowId: string }
  /** Ended politely, audited. */
  | { status: 'ended'; flowId: string; reason: 'version' | 'corrupt' }
  /** Redis down: "try again shortly", nothing changed. */
  | { status: 'unavailable' }
  /** The account's self-service is locked ("This wasn't me"): support must unlock it first. */
  | { status: 'locked' };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Every event any flow machine accepts. */
export type FlowEvent =
  | StepUpEvent
  | EditBasicInfoEvent
  | ContactChangeEvent
  | ChangePasswordEvent
  | ResetPasswordEvent
  | IdentityVerificationEvent
  | LinkSlackUserEvent;

/** What adapters send: the engine stamps `now` and sends TICK first itself. */
export type FlowEventWithoutNow = DistributiveOmit<Exclude<FlowEvent, TickEvent>, 'now'>;

export interface StartOptions {
  /** The account the flow acts on; the engine finds it from the owner when absent (Slack link). */
  accountId?: string;
  /** The owner's account as the caller just read it for this request, so it is read once. */
  account?: Account;
  /** A caller-chosen id (e.g. idempotent starts); a fresh random id otherwise. */
  flowId?: string;
  /** Cancel the owner's open flow and start this one (the "Cancel and start" choice). */
  replaceActive?: boolean;
}

/**
 * Claims the delivery an interaction came in (a Slack request's identity): false when it was
 * claimed before, a retry or replay. Made beside the flow's first read, in the same round trip;
 * nothing runs for a delivery claimed before.
 */
export type DeliveryClaim = () => Promise<boolean>;

export interface InteractionOptions {
  claim?: DeliveryClaim;
}

export interface FlowEngine {
  start(
    owner: FlowOwner,
    machineId: FlowId,
    input: StartInput,
    options?: StartOptions,
  ): Promise<EngineResult>;
  /** The engine stamps `now` and sends TICK first. */
  send(
    owner: FlowOwner,
    flowId: string,
    event: FlowEventWithoutNow,
    options?: InteractionOptions,
  ): Promise<EngineResult>;
  /** TICK only (re-render, resume). */
  current(owner: FlowOwner, flowId: string): Promise<EngineResult>;
  cancel(owner: FlowOwner, flowId: string, options?: InteractionOptions): Promise<EngineResult>;
  active(owner: FlowOwner): Promise<{ flowId: string; machineId: FlowId } | null>;
  /**
   * The change-password page URL for a flow that just minted its link
   * (`${config.web.publicBaseUrl}/password/<token>`). Returns it exactly once: the token is
   * never persisted in clear, so a second call (or a call after a restart) returns null and
   * the person asks for a new link.
   */
  passwordLinkUrl(owner: FlowOwner, flowId: string): string | null;
}
