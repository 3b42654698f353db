import { createContactChangeMachine } from './shared/contact-change.js';

export type {
  ContactChangeContext as ChangeContactEmailContext,
  ContactChangeEvent as ChangeContactEmailEvent,
  ContactChangeInput as ChangeContactEmailInput,
  ContactChangeOutput as ChangeContactEmailOutput,
} from './shared/contact-change.js';

/**
 * SPEC 3.5: new address → saved unverified (it gets no messages yet) → code to it → verified.
 * Leaving before the code ends with the reminder to verify it.
 */
export const changeContactEmailId = 'changeContactEmail';
export const changeContactEmailVersion = 2;

export const changeContactEmailMachine = createContactChangeMachine({
  id: changeContactEmailId,
  version: changeContactEmailVersion,
  field: 'contactEmail',
  channel: 'email',
  purpose: 'contact-email',
  stepUp: false,
  saveBeforeVerify: true,
  notify: null,
  concealTaken: false,
});
