import type { AnyStateMachine } from 'xstate';
import { changeContactEmailMachine } from './change-contact-email.js';
import { changeContactMobileMachine } from './change-contact-mobile.js';
import { changeLoginEmailMachine } from './change-login-email.js';
import { changePasswordMachine } from './change-password.js';
import { changeSecurityMobileMachine } from './change-security-mobile.js';
import { changeVerificationEmailMachine } from './change-verification-email.js';
import { editBasicInfoMachine } from './edit-basic-info.js';
import { identityVerificationMachine } from './identity-verification.js';
import { linkSlackUserMachine } from './link-slack-user.js';
import { resetPasswordMachine } from './reset-password.js';
import { codeChallengeMachine } from './shared/code-challenge.js';
import { stepUpMachine } from './step-up.js';
import { unlockAccountMachine } from './unlock-account.js';

export interface FlowEntry {
  /** The SPEC §3 section the machine implements. */
  spec: string;
  title: string;
  machine: AnyStateMachine;
}

/** Every flow machine, in SPEC order: the engine, the diagrams and the tests read this list. */
export const flowMachines: readonly FlowEntry[] = [
  { spec: '3.1', title: 'Verify identity (step-up)', machine: stepUpMachine },
  { spec: '3.2', title: 'View and edit basic information', machine: editBasicInfoMachine },
  { spec: '3.3', title: 'Change contact mobile', machine: changeContactMobileMachine },
  { spec: '3.4', title: 'Change security mobile', machine: changeSecurityMobileMachine },
  { spec: '3.5', title: 'Change contact email', machine: changeContactEmailMachine },
  { spec: '3.6', title: 'Change verification email', machine: changeVerificationEmailMachine },
  { spec: '3.7', title: 'Change login email', machine: changeLoginEmailMachine },
  { spec: '3.8', title: 'Change password', machine: changePasswordMachine },
  { spec: '3.9', title: 'Reset a forgotten password', machine: resetPasswordMachine },
  { spec: '3.10', title: 'Identity verification', machine: identityVerificationMachine },
  { spec: '3.11', title: 'Link Slack user to account', machine: linkSlackUserMachine },
  { spec: '3.12', title: 'Unlock my account', machine: unlockAccountMachine },
];

/** Machines that run only inside a flow: the diagrams and the machine tests read this list. */
export const childMachines: readonly FlowEntry[] = [
  { spec: '§4', title: 'One-time code challenge', machine: codeChallengeMachine },
];

/** The machine's version as the engine stores it in the envelope. */
export const versionOf = (machine: AnyStateMachine): number => Number(machine.version);

export * from './shared/flow.js';
export * from './shared/view.js';
export * from './shared/flow-view.js';
export type * from './shared/codes.js';
export type * from './shared/code-challenge.js';
export type * from './shared/effects.js';
export type * from './shared/messages.js';
