import * as change from './shared/contact-change.js';
import { finalState } from './shared/flow.js';

/** SPEC 3.6: step-up → new address → code to it → saved → the old address hears of it. */
export const changeVerificationEmailMachine = change.contactChange.createMachine({
  id: 'changeVerificationEmail',
  version: '4',
  context: change.contactChangeContext,
  initial: 'stepUp',
  on: change.contactChangeEndings,
  states: {
    stepUp: change.stepUpFirst('enterValue'),
    enterValue: change.enterValue('verificationEmail'),
    checkingValue: change.checkingValue('verificationEmail', 'confirming'),
    confirming: change.confirming(
      { purpose: 'verification-email', channel: 'email', field: 'verificationEmail' },
      { target: 'saving' },
    ),
    saving: change.saving('verificationEmail', 'notifying', 'change.conflict'),
    notifying: change.notifyingPrevious('verificationEmailChanged'),
    done: finalState('done', 'change.saved'),
    failed: finalState('failed'),
    cancelled: finalState('cancelled'),
  },
  output: change.contactChangeOutput,
});
