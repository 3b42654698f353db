import { fromPromise, type AnyActorLogic } from 'xstate';
import { checkValue, saveChange } from './contact.js';
import { sendCode, verifyCode } from './codes.js';
import type { EffectScope } from './context.js';
import { saveBasicInfo } from './basic-info.js';
import { recordReview, submitIdentity } from './identity.js';
import { findAccount, linkAccount } from './link.js';
import { notify } from './notify.js';
import { commitNewPassword, mintPasswordLink, requestResetLink, stageNewPassword } from './passwords.js';

export type { EffectDependencies, FlowBinding } from './context.js';

/** Every actor a flow machine invokes, bound to one flow; a machine takes the ones it declares. */
export function flowActors(scope: EffectScope): Record<string, AnyActorLogic> {
  const bind = <I, O>(effect: (ctx: EffectScope, input: I) => Promise<O>) =>
    fromPromise<O, I>(({ input }) => effect(scope, input));
  return {
    sendCode: bind(sendCode),
    verifyCode: bind(verifyCode),
    checkValue: bind(checkValue),
    saveChange: bind(saveChange),
    notify: bind(notify),
    saveBasicInfo: bind(saveBasicInfo),
    mintPasswordLink: bind(mintPasswordLink),
    requestResetLink: bind(requestResetLink),
    stageNewPassword: bind(stageNewPassword),
    commitNewPassword: bind(commitNewPassword),
    submitIdentity: bind(submitIdentity),
    recordReview: bind(recordReview),
    findAccount: bind(findAccount),
    linkAccount: bind(linkAccount),
  };
}
