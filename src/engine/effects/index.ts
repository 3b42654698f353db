import { fromPromise, type AnyActorLogic } from 'xstate';
import { checkValue, saveChange } from './contact.js';
import { sendCode, verifyCode } from './codes.js';
import type { EffectScope, Interaction } from './context.js';
import { saveBasicInfo } from './basic-info.js';
import { recordReview, submitIdentity } from './identity.js';
import { findAccount, linkAccount } from './link.js';
import { notify } from './notify.js';
import { changePasswordOnPage } from './password-change.js';
import { commitNewPassword, mintPasswordLink, requestResetLink, stageNewPassword } from './passwords.js';
import { unlockDirectory } from './unlock.js';

export type { EffectDependencies, FlowBinding, Interaction } from './context.js';

/** The interaction an actor system runs for: effects are bound per interaction, machines once. */
export type InteractionOf = (system: object) => Interaction;

/** Every actor a flow machine invokes, for effects keyed under `scope`; a machine takes the ones it declares. */
export function flowActors(scope: string, interactionOf: InteractionOf): Record<string, AnyActorLogic> {
  const bind = <I, O>(effect: (ctx: EffectScope, input: I) => Promise<O>) =>
    fromPromise<O, I>(({ input, system }) => effect({ ...interactionOf(system), scope }, input));
  return {
    sendCode: bind(sendCode),
    verifyCode: bind(verifyCode),
    checkValue: bind(checkValue),
    saveChange: bind(saveChange),
    notify: bind(notify),
    saveBasicInfo: bind(saveBasicInfo),
    mintPasswordLink: bind(mintPasswordLink),
    changePasswordOnPage: bind(changePasswordOnPage),
    requestResetLink: bind(requestResetLink),
    stageNewPassword: bind(stageNewPassword),
    commitNewPassword: bind(commitNewPassword),
    submitIdentity: bind(submitIdentity),
    recordReview: bind(recordReview),
    findAccount: bind(findAccount),
    linkAccount: bind(linkAccount),
    unlockDirectory: bind(unlockDirectory),
  };
}
