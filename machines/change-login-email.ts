import * as change from './shared/contact-change.js';
import { finalState } from './shared/flow.js';

/**
 * SPEC 3.7: step-up → new address (no account may have it as login email) → code → saved →
 * the old login email hears of it. A taken address is answered like a free one until the
 * code step, where it fails with the same generic message as a lost race at save time.
 */
export const changeLoginEmailMachine = change.contactChange.createMachine({
  id: 'changeLoginEmail',
  version: '4',
  context: change.contactChangeContext,
  initial: 'stepUp',
  on: change.contactChangeEndings,
  states: {
    stepUp: change.stepUpFirst('enterValue'),
    enterValue: change.enterValue('loginEmail'),
    checkingValue: change.checkingValue('loginEmail', 'confirming'),
    confirming: change.confirming(
      { purpose: 'login-email', channel: 'email', field: 'loginEmail' },
      { target: 'saving', unlessTaken: 'loginEmail.changeFailed' },
    ),
    saving: change.saving('loginEmail', 'notifying', 'loginEmail.changeFailed'),
    notifying: change.notifyingPrevious('loginEmailChanged'),
    done: finalState('done', 'change.saved'),
    failed: finalState('failed'),
    cancelled: finalState('cancelled'),
  },
  output: change.contactChangeOutput,
});
