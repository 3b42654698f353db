/**
 * Message keys the machines put in context and output. Machines never hold prose: the
 * Slack and web adapters look each key up in the message catalog (src/messages/), so a
 * key added here needs its sentence there.
 */
export const flowMessageKeys = [
  'flow.completed',
  'flow.cancelled',
  'flow.idleExpired',
  'flow.effectFailed',
  'flow.hashingBusy',
  'code.wrong',
  'code.expired',
  'code.exhausted',
  'code.noLiveCode',
  'code.locked',
  'code.resendTooSoon',
  'code.sendLimit',
  'code.resent',
  'stepUp.verified',
  'stepUp.windowOpen',
  'stepUp.noMethod',
  'stepUp.attemptOver',
  'stepUp.locked',
  'change.saved',
  'change.savedNotifyFailed',
  'change.conflict',
  'contactEmail.savedUnverified',
  'loginEmail.changeFailed',
  'basicInfo.saved',
  'password.needsLoginEmail',
  'password.linkExpired',
  'password.changed',
  'password.currentPasswordCooldown',
  'password.mismatch',
  'reset.linkOnItsWay',
  'reset.linkInvalid',
  'reset.passwordSaved',
  'identity.submitted',
  'identity.verified',
  'identity.rejected',
  'identity.rejectReasonRequired',
  'identity.reviewFailed',
  'link.linked',
  'link.supportNotified',
  'link.alreadyLinked',
] as const;

export type FlowMessageKey = (typeof flowMessageKeys)[number];

/**
 * What the field-level validators answer: a catalog key of their own (they live in src/ and
 * own those sentences), kept as text because machines cannot import src/.
 */
export type FieldErrors = Record<string, string>;
