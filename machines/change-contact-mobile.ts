import { createContactChangeMachine } from './shared/contact-change.js';

export type {
  ContactChangeContext as ChangeContactMobileContext,
  ContactChangeEvent as ChangeContactMobileEvent,
  ContactChangeInput as ChangeContactMobileInput,
  ContactChangeOutput as ChangeContactMobileOutput,
} from './shared/contact-change.js';

/** SPEC 3.3: new number → code to it → confirm → saved. No step-up. */
export const changeContactMobileId = 'changeContactMobile';
export const changeContactMobileVersion = 2;

export const changeContactMobileMachine = createContactChangeMachine({
  id: changeContactMobileId,
  version: changeContactMobileVersion,
  field: 'contactMobile',
  channel: 'sms',
  purpose: 'contact-mobile',
  stepUp: false,
  saveBeforeVerify: false,
  notify: null,
  concealTaken: false,
});
