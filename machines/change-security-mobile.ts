import * as change from './shared/contact-change.js';
import { finalState } from './shared/flow.js';

/** SPEC 3.4: step-up → new number → code to it → saved → the old number and the verification email hear of it. */
export const changeSecurityMobileMachine = change.contactChange.createMachine({
  id: 'changeSecurityMobile',
  version: '4',
  context: change.contactChangeContext,
  initial: 'stepUp',
  on: change.contactChangeEndings,
  states: {
    stepUp: change.stepUpFirst('enterValue'),
    enterValue: change.enterValue('securityMobile'),
    checkingValue: change.checkingValue('securityMobile', 'confirming'),
    confirming: change.confirming(
      { purpose: 'security-mobile', channel: 'sms', field: 'securityMobile' },
      { target: 'saving' },
    ),
    saving: change.saving('securityMobile', 'notifying', 'change.conflict'),
    notifying: change.notifyingPrevious('securityMobileChanged'),
    done: finalState('done', 'change.saved'),
    failed: finalState('failed'),
    cancelled: finalState('cancelled'),
  },
  output: change.contactChangeOutput,
});
