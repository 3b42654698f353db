import * as change from './shared/contact-change.js';
import { finalState } from './shared/flow.js';

/** SPEC 3.3: new number → code to it → confirm → saved. No step-up. */
export const changeContactMobileMachine = change.contactChange.createMachine({
  id: 'changeContactMobile',
  version: '4',
  context: change.contactChangeContext,
  initial: 'enterValue',
  on: change.contactChangeEndings,
  states: {
    enterValue: change.enterValue('contactMobile'),
    checkingValue: change.checkingValue('contactMobile', 'confirming'),
    confirming: change.confirming(
      { purpose: 'contact-mobile', channel: 'sms', field: 'contactMobile' },
      { target: 'saving' },
    ),
    saving: change.saving('contactMobile', 'done', 'change.conflict'),
    done: finalState('done', 'change.saved'),
    failed: finalState('failed'),
    cancelled: finalState('cancelled'),
  },
  output: change.contactChangeOutput,
});
