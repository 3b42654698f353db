import { createContactChangeMachine } from './shared/contact-change.js';

export type {
  ContactChangeContext as ChangeLoginEmailContext,
  ContactChangeEvent as ChangeLoginEmailEvent,
  ContactChangeInput as ChangeLoginEmailInput,
  ContactChangeOutput as ChangeLoginEmailOutput,
} from './shared/contact-change.js';

/**
 * SPEC 3.7: step-up → new address (no account may have it as login email) → code → saved →
 * the old login email hears of it. A taken address is answered like a free one until the
 * code step, where it fails with the same generic message as a lost race at save time.
 */
export const changeLoginEmailId = 'changeLoginEmail';
export const changeLoginEmailVersion = 2;

export const changeLoginEmailMachine = createContactChangeMachine({
  id: changeLoginEmailId,
  version: changeLoginEmailVersion,
  field: 'loginEmail',
  channel: 'email',
  purpose: 'login-email',
  stepUp: true,
  saveBeforeVerify: false,
  notify: 'loginEmailChanged',
  concealTaken: true,
});
