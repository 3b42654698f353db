import { createContactChangeMachine } from './shared/contact-change.js';

export type {
  ContactChangeContext as ChangeSecurityMobileContext,
  ContactChangeEvent as ChangeSecurityMobileEvent,
  ContactChangeInput as ChangeSecurityMobileInput,
  ContactChangeOutput as ChangeSecurityMobileOutput,
} from './shared/contact-change.js';

/** SPEC 3.4: step-up → new number → code to it → saved → the old number and the verification email hear of it. */
export const changeSecurityMobileId = 'changeSecurityMobile';
export const changeSecurityMobileVersion = 2;

export const changeSecurityMobileMachine = createContactChangeMachine({
  id: changeSecurityMobileId,
  version: changeSecurityMobileVersion,
  field: 'securityMobile',
  channel: 'sms',
  purpose: 'security-mobile',
  stepUp: true,
  saveBeforeVerify: false,
  notify: 'securityMobileChanged',
  concealTaken: false,
});
