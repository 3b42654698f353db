import { createContactChangeMachine } from './shared/contact-change.js';

export type {
  ContactChangeContext as ChangeVerificationEmailContext,
  ContactChangeEvent as ChangeVerificationEmailEvent,
  ContactChangeInput as ChangeVerificationEmailInput,
  ContactChangeOutput as ChangeVerificationEmailOutput,
} from './shared/contact-change.js';

/** SPEC 3.6: step-up → new address → code to it → saved → the old address hears of it. */
export const changeVerificationEmailId = 'changeVerificationEmail';
export const changeVerificationEmailVersion = 2;

export const changeVerificationEmailMachine = createContactChangeMachine({
  id: changeVerificationEmailId,
  version: changeVerificationEmailVersion,
  field: 'verificationEmail',
  channel: 'email',
  purpose: 'verification-email',
  stepUp: true,
  saveBeforeVerify: false,
  notify: 'verificationEmailChanged',
  concealTaken: false,
});
