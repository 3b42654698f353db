import { fromPromise, type AnyActorLogic } from 'xstate';
import { errorKind } from '../../core/errors.js';
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
  return Object.fromEntries(
    Object.entries(EFFECTS).map(([name, effect]) => [
      name,
      fromPromise<unknown, unknown>(async ({ input, system }) => {
        const interaction = interactionOf(system);
        try {
          // Each machine's invoke gives its effect the input that effect declares.
          return await effect({ ...interaction, scope }, input as never);
        } catch (error) {
          // The machine keeps only what to tell the person; the log keeps what failed, by kind
          // (a message may quote what was typed).
          interaction.deps.logger.warn(
            { effect: `${scope}/${name}`, err: errorKind(error) },
            'flow effect failed',
          );
          throw error;
        }
      }),
    ]),
  );
}

type Effect = (ctx: EffectScope, input: never) => Promise<unknown>;

const EFFECTS: Record<string, Effect> = {
  sendCode,
  verifyCode,
  checkValue,
  saveChange,
  notify,
  saveBasicInfo,
  mintPasswordLink,
  changePasswordOnPage,
  requestResetLink,
  stageNewPassword,
  commitNewPassword,
  submitIdentity,
  recordReview,
  findAccount,
  linkAccount,
  unlockDirectory,
};
