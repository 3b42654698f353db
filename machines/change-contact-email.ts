import * as change from './shared/contact-change.js';
import { finalState } from './shared/flow.js';

/**
 * SPEC 3.5: new address → saved unverified (it gets no messages yet) → code to it → verified.
 * Leaving before the code ends with the reminder to verify it.
 */
export const changeContactEmailMachine = change.contactChange.createMachine({
  id: 'changeContactEmail',
  version: '4',
  context: change.contactChangeContext,
  initial: 'enterValue',
  on: change.contactChangeEndings,
  states: {
    enterValue: change.enterValue('contactEmail'),
    checkingValue: change.checkingValue('contactEmail', 'savingUnverified'),
    savingUnverified: change.savingUnverified('contactEmail'),
    confirming: change.confirming(
      { purpose: 'contact-email', channel: 'email', field: 'contactEmail' },
      { target: 'saving' },
    ),
    saving: change.saving('contactEmail', 'done', 'change.conflict'),
    done: finalState('done', 'change.saved'),
    failed: finalState('failed'),
    cancelled: finalState('cancelled'),
  },
  output: change.contactChangeOutput,
});
