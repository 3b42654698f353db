import type { AnyStateMachine, InputFrom } from 'xstate';
import { changeContactEmailMachine } from '../../machines/change-contact-email.js';
import { changeContactMobileMachine } from '../../machines/change-contact-mobile.js';
import { changeLoginEmailMachine } from '../../machines/change-login-email.js';
import { changePasswordMachine } from '../../machines/change-password.js';
import { changeSecurityMobileMachine } from '../../machines/change-security-mobile.js';
import { changeVerificationEmailMachine } from '../../machines/change-verification-email.js';
import { editBasicInfoMachine } from '../../machines/edit-basic-info.js';
import { identityVerificationMachine } from '../../machines/identity-verification.js';
import type { FlowInputBase } from '../../machines/index.js';
import { linkSlackUserMachine } from '../../machines/link-slack-user.js';
import { resetPasswordMachine } from '../../machines/reset-password.js';
import { stepUpMachine, type StepUpMethods } from '../../machines/step-up.js';
import { unlockAccountMachine } from '../../machines/unlock-account.js';
import type { AppConfig } from '../config/config.js';
import type { Account } from '../domain/account.js';

/**
 * What the caller knows when it starts a flow. Everything else a machine's input needs
 * (clock, idle timeout, privileged window, the account's step-up methods) the engine reads
 * from the configuration and the account, so adapters never pass account data or secrets.
 */
export interface StartInput {
  /**
   * resetPassword only: 'request' (Slack button or the forgot page; the default). 'page' is
   * started by the password pages after a reset link was opened.
   */
  entry?: 'request' | 'page';
  /** linkSlackUser: the email on the person's Slack profile, matched against login emails. */
  slackProfileEmail?: string;
  /** resetPassword with entry 'page': when the reset link expires (set by the password pages). */
  linkExpiresAt?: number;
}

/** What a flow's input is built from when it starts. */
export interface FlowStart {
  /** Null only for the flows that do not need an account. */
  account: Account | null;
  start: StartInput;
  config: AppConfig;
  now: number;
  /** The end of the account's privileged window (0 when none is open). */
  privilegedUntil: number;
}

export interface FlowRegistration<M extends AnyStateMachine = AnyStateMachine> {
  machine: M;
  /** False when the flow may start for someone without a (linked) account. */
  needsAccount(start: StartInput): boolean;
  input(from: FlowStart): InputFrom<M>;
}

const register = <M extends AnyStateMachine>(registration: FlowRegistration<M>): FlowRegistration<M> =>
  registration;

const always = (): boolean => true;
const entryOf = (start: StartInput): 'request' | 'page' => start.entry ?? 'request';

const base = ({ config, now }: FlowStart): FlowInputBase => ({
  now,
  idleTimeoutMs: config.flows.idleTimeoutMs,
});

/** The input of every flow that steps up before it changes something. */
const steppingUp = (from: FlowStart) => ({
  ...base(from),
  privilegedUntil: from.privilegedUntil,
  privilegedWindowMs: from.config.flows.privilegedWindowMs,
  methods: stepUpMethods(from.account, entryOf(from.start)),
});

/**
 * Every flow the engine runs, by its id. Adding a flow is one entry here (and its machine
 * in `machines/index.ts` for the diagrams).
 */
export const flowRegistry = {
  stepUp: register({
    machine: stepUpMachine,
    needsAccount: always,
    input: (from) => ({ ...steppingUp(from), purpose: 'step-up' as const }),
  }),
  editBasicInfo: register({ machine: editBasicInfoMachine, needsAccount: always, input: base }),
  changeContactMobile: register({
    machine: changeContactMobileMachine,
    needsAccount: always,
    input: steppingUp,
  }),
  changeSecurityMobile: register({
    machine: changeSecurityMobileMachine,
    needsAccount: always,
    input: steppingUp,
  }),
  changeContactEmail: register({
    machine: changeContactEmailMachine,
    needsAccount: always,
    input: steppingUp,
  }),
  changeVerificationEmail: register({
    machine: changeVerificationEmailMachine,
    needsAccount: always,
    input: steppingUp,
  }),
  changeLoginEmail: register({
    machine: changeLoginEmailMachine,
    needsAccount: always,
    input: steppingUp,
  }),
  changePassword: register({
    machine: changePasswordMachine,
    needsAccount: always,
    input: (from) => ({ ...steppingUp(from), hasLoginEmail: from.account?.loginEmail != null }),
  }),
  resetPassword: register({
    machine: resetPasswordMachine,
    // A reset request answers the same whether or not the email is known (SPEC 3.9).
    needsAccount: (start) => entryOf(start) === 'page',
    input: (from) =>
      from.start.entry === 'page'
        ? { ...steppingUp(from), entry: 'page' as const, linkExpiresAt: from.start.linkExpiresAt ?? from.now }
        : { ...base(from), entry: 'request' as const },
  }),
  identityVerification: register({
    machine: identityVerificationMachine,
    needsAccount: always,
    input: (from) => ({
      ...base(from),
      currentStatus: from.account?.verification.status ?? 'unverified',
    }),
  }),
  linkSlackUser: register({
    machine: linkSlackUserMachine,
    // Linking finds the account from the Slack profile's email.
    needsAccount: () => false,
    input: base,
  }),
  unlockAccount: register({
    machine: unlockAccountMachine,
    needsAccount: always,
    input: (from) => ({ ...steppingUp(from), directoryLocked: from.account?.directoryLockedAt != null }),
  }),
} satisfies Record<string, FlowRegistration>;

export type FlowRegistry = Readonly<Record<string, FlowRegistration>>;

/** Which flow: a machine id. One run of a flow is a `flowId`. */
export type FlowId = keyof typeof flowRegistry;

export const flowIds = Object.keys(flowRegistry) as FlowId[];

export function isFlowId(value: string): value is FlowId {
  return Object.hasOwn(flowRegistry, value);
}

export function registrationOf(id: FlowId): FlowRegistration {
  return flowRegistry[id];
}

/**
 * The identity checks a flow may use. After a mailed reset link, a code to the mailbox the
 * link went to proves nothing more than the link did: that mailbox is never the second check.
 */
function stepUpMethods(account: Account | null, entry: 'request' | 'page'): StepUpMethods {
  const verificationEmail = account?.verificationEmail ?? null;
  const sameMailbox =
    verificationEmail !== null &&
    account?.loginEmail != null &&
    verificationEmail.trim().toLowerCase() === account.loginEmail.trim().toLowerCase();
  return {
    sms: account?.securityMobile != null,
    email: verificationEmail !== null && !(entry === 'page' && sameMailbox),
  };
}
