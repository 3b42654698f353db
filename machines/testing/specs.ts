import type { AnyStateMachine } from 'xstate';
import { changeContactEmailMachine } from '../change-contact-email.js';
import { changeContactMobileMachine } from '../change-contact-mobile.js';
import { changeLoginEmailMachine } from '../change-login-email.js';
import { changeSecurityMobileMachine } from '../change-security-mobile.js';
import { changeVerificationEmailMachine } from '../change-verification-email.js';
import { changePasswordMachine, type ChangePasswordInput } from '../change-password.js';
import { editBasicInfoMachine } from '../edit-basic-info.js';
import { identityVerificationMachine } from '../identity-verification.js';
import { linkSlackUserMachine } from '../link-slack-user.js';
import { resetPasswordMachine, type ResetPasswordInput } from '../reset-password.js';
import {
  codeChallengeMachine,
  type CodeChallengeInput,
  type CodeChallengeOutput,
} from '../shared/code-challenge.js';
import type { ContactChangeInput } from '../shared/contact-change.js';
import type {
  ChangePasswordOnPageOutput,
  CheckValueOutput,
  CommitNewPasswordOutput,
  FindAccountOutput,
  SaveBasicInfoOutput,
  SaveChangeOutput,
  StageNewPasswordOutput,
  SubmitIdentityOutput,
  UnlockDirectoryOutput,
} from '../shared/effects.js';
import { stepUpMachine, type StepUpInput, type StepUpOutput } from '../step-up.js';
import { unlockAccountMachine, type UnlockAccountInput } from '../unlock-account.js';
import type { ModelSpec } from './model.js';
import {
  T0,
  USER_NOW,
  WINDOW_MS,
  base,
  bothMethods,
  codeSamples,
  contextOf,
  doneWith,
  ev,
  ticks,
} from './samples.js';

const challengeInput = (overrides: Partial<CodeChallengeInput> = {}): CodeChallengeInput => ({
  ...base,
  purpose: 'step-up',
  channel: 'sms',
  target: { kind: 'current', field: 'securityMobile' },
  alternate: { channel: 'email', target: { kind: 'current', field: 'verificationEmail' } },
  exhaustedEnds: true,
  round: 1,
  ...overrides,
});

const codeChallengeSpec: ModelSpec = {
  machine: codeChallengeMachine,
  inputs: [
    challengeInput(),
    challengeInput({
      purpose: 'contact-mobile',
      target: { kind: 'new', field: 'contactMobile', value: '+8613812345678' },
      alternate: null,
      exhaustedEnds: false,
    }),
  ],
  samples: codeSamples,
  abstraction: (context) => ({
    code: context.code !== null,
    notice: context.notice,
    channel: context.channel,
  }),
  typicalState: 'enterCode',
};

const challengeOutputs: CodeChallengeOutput[] = [
  { status: 'done', reason: 'flow.completed', codeSent: true },
  { status: 'failed', reason: 'code.locked', codeSent: true },
  { status: 'failed', reason: 'code.sendLimit', codeSent: false },
];

const stepUpInput = (overrides: Partial<StepUpInput> = {}): StepUpInput => ({
  ...base,
  privilegedUntil: 0,
  privilegedWindowMs: WINDOW_MS,
  methods: bothMethods,
  purpose: 'step-up',
  ...overrides,
});

const stepUpSpec: ModelSpec = {
  machine: stepUpMachine,
  inputs: [
    stepUpInput(),
    stepUpInput({ privilegedUntil: T0 + 60_000 }),
    stepUpInput({ methods: { sms: false, email: false } }),
  ],
  samples: (snapshot) => ({
    ...codeSamples(snapshot),
    ...doneWith('codeChallenge', challengeOutputs),
  }),
  abstraction: (context) => ({ notice: context.notice }),
  typicalState: 'challenge',
};

const stepUpOutputs: StepUpOutput[] = [
  { status: 'done', reason: 'stepUp.verified', privilegedUntil: USER_NOW + WINDOW_MS },
  { status: 'failed', reason: 'stepUp.locked', privilegedUntil: 0 },
];

const contactChangeInput: ContactChangeInput = {
  ...base,
  privilegedUntil: 0,
  privilegedWindowMs: WINDOW_MS,
  methods: bothMethods,
};

const checkOutputs = (takenToo: boolean): CheckValueOutput[] => [
  { outcome: 'ok', value: '+8613812345678', taken: false },
  ...(takenToo ? [{ outcome: 'ok' as const, value: 'taken@example.com', taken: true }] : []),
  { outcome: 'invalid', error: { key: 'phone.invalid' } },
];

const saveOutputs: SaveChangeOutput[] = [
  { outcome: 'saved' },
  { outcome: 'conflict' },
  { outcome: 'refused', error: { key: 'directory.refusedAccess', params: { field: 'contactMobile' } } },
];

function contactChangeSpec(machine: AnyStateMachine, concealTaken = false): ModelSpec {
  return {
    machine,
    inputs: [contactChangeInput],
    samples: (snapshot) => ({
      ...codeSamples(snapshot),
      SUBMIT_VALUE: [ev('SUBMIT_VALUE', { value: '+86 138 1234 5678', now: USER_NOW })],
      EDIT_VALUE: [ev('EDIT_VALUE', { now: USER_NOW })],
      ...doneWith('stepUp', stepUpOutputs),
      ...doneWith('codeChallenge', challengeOutputs),
      ...doneWith('checkValue', checkOutputs(concealTaken)),
      ...doneWith('saveChange', saveOutputs),
      ...doneWith('notify', [undefined]),
    }),
    abstraction: (context) => ({
      taken: context.taken,
      notice: context.notice,
      savedUnverified: context.savedUnverified,
    }),
    typicalState: 'confirming',
  };
}

const cancel = [ev('CANCEL', { now: USER_NOW })];
const notified = doneWith('notify', [undefined]);

const editBasicInfoSpec: ModelSpec = {
  machine: editBasicInfoMachine,
  inputs: [base],
  samples: (snapshot) => ({
    EDIT: [ev('EDIT', { section: 'address', now: USER_NOW })],
    SUBMIT_FORM: [ev('SUBMIT_FORM', { values: { city: 'Hangzhou' }, now: USER_NOW })],
    BACK: [ev('BACK', { now: USER_NOW })],
    CLOSE: [ev('CLOSE', { now: USER_NOW })],
    TICK: ticks(snapshot),
    CANCEL: cancel,
    ...doneWith('saveBasicInfo', [
      { outcome: 'saved' },
      { outcome: 'invalid', fieldErrors: { postalCode: { key: 'address.postalCode' } } },
    ] satisfies SaveBasicInfoOutput[]),
  }),
  abstraction: (context) => ({ notice: context.notice }),
  typicalState: 'editing',
};

const changePasswordInput = (overrides: Partial<ChangePasswordInput> = {}): ChangePasswordInput => ({
  ...contactChangeInput,
  hasLoginEmail: true,
  ...overrides,
});

const changePasswordSpec: ModelSpec = {
  machine: changePasswordMachine,
  inputs: [changePasswordInput(), changePasswordInput({ hasLoginEmail: false })],
  samples: (snapshot) => {
    const link = contextOf(snapshot).link as { expiresAt: number } | null;
    return {
      ...codeSamples(snapshot),
      RENEW_LINK: [ev('RENEW_LINK', { now: USER_NOW })],
      SUBMIT_PASSWORDS: [
        ev('SUBMIT_PASSWORDS', {
          current: 'old',
          password: 'n3w.Secret',
          confirmation: 'n3w.Secret',
          now: USER_NOW,
        }),
      ],
      TICK: ticks(snapshot, [link?.expiresAt ?? null]),
      ...doneWith('stepUp', stepUpOutputs),
      ...doneWith('mintPasswordLink', [{ linkId: 'link-1', expiresAt: USER_NOW + 10 * 60_000 }]),
      ...doneWith('changePasswordOnPage', [
        { outcome: 'changed' },
        { outcome: 'cooledDown', retryAt: USER_NOW + 900_000 },
        { outcome: 'refused', errors: [{ key: 'password.confirmationDiffers' }] },
        { outcome: 'held' },
        { outcome: 'unavailable' },
      ] satisfies ChangePasswordOnPageOutput[]),
      ...notified,
    };
  },
  abstraction: (context) => ({ link: context.link !== null }),
  typicalState: 'awaitingPage',
};

const resetPage: ResetPasswordInput = {
  ...base,
  entry: 'page',
  linkExpiresAt: T0 + 48 * 3_600_000,
  privilegedWindowMs: WINDOW_MS,
  methods: bothMethods,
};

const resetPasswordSpec: ModelSpec = {
  machine: resetPasswordMachine,
  inputs: [{ ...base, entry: 'request' } satisfies ResetPasswordInput, resetPage],
  samples: (snapshot) => ({
    ...codeSamples(snapshot),
    SUBMIT_LOGIN_EMAIL: [ev('SUBMIT_LOGIN_EMAIL', { loginEmail: 'ana@example.com', now: USER_NOW })],
    SUBMIT_NEW_PASSWORD: [
      ev('SUBMIT_NEW_PASSWORD', { password: 'n3w.Secret', confirmation: 'n3w.Secret', now: USER_NOW }),
      ev('SUBMIT_NEW_PASSWORD', { password: 'n3w.Secret', confirmation: 'other', now: USER_NOW }),
    ],
    TICK: ticks(snapshot, [contextOf(snapshot).linkExpiresAt as number | null]),
    ...doneWith('stepUp', stepUpOutputs),
    ...doneWith('requestResetLink', [undefined]),
    ...doneWith('stageNewPassword', [
      { outcome: 'staged' },
      { outcome: 'rejected', violations: [{ key: 'password.tooShort', params: { min: 12 } }] },
    ] satisfies StageNewPasswordOutput[]),
    ...doneWith('commitNewPassword', [
      { outcome: 'saved' },
      { outcome: 'linkInvalid' },
      { outcome: 'refused', violations: [{ key: 'password.directory.in-history' }] },
    ] satisfies CommitNewPasswordOutput[]),
    ...notified,
  }),
  abstraction: (context) => ({ notice: context.notice }),
  typicalState: 'newPassword',
};

const individual = {
  subject: 'individual',
  documentType: 'passport',
  fullLegalName: 'Ana Lima',
  documentNumber: 'E12345678',
  issuingRegion: 'BR',
};

const identityVerificationSpec: ModelSpec = {
  machine: identityVerificationMachine,
  inputs: [{ ...base, currentStatus: 'unverified' }],
  samples: (snapshot) => ({
    CHOOSE_SUBJECT: [ev('CHOOSE_SUBJECT', { subject: 'individual', now: USER_NOW })],
    ACKNOWLEDGE_WARNINGS: [ev('ACKNOWLEDGE_WARNINGS', { now: USER_NOW })],
    BACK: [ev('BACK', { now: USER_NOW })],
    SUBMIT_IDENTITY: [ev('SUBMIT_IDENTITY', { details: individual, now: USER_NOW })],
    RESUBMIT: [ev('RESUBMIT', { now: USER_NOW })],
    CLOSE: [ev('CLOSE', { now: USER_NOW })],
    REVIEW_APPROVE: [ev('REVIEW_APPROVE', { reviewerId: 'U-REVIEWER', now: USER_NOW })],
    REVIEW_REJECT: [
      ev('REVIEW_REJECT', { reviewerId: 'U-REVIEWER', reason: 'The image is unreadable.', now: USER_NOW }),
      ev('REVIEW_REJECT', { reviewerId: 'U-REVIEWER', reason: '  ', now: USER_NOW }),
    ],
    TICK: ticks(snapshot, [contextOf(snapshot).expectedBy as number | null]),
    CANCEL: cancel,
    ...doneWith('submitIdentity', [
      { outcome: 'submitted', submissionId: 'sub-1', expectedBy: T0 + 4 * 86_400_000 },
      { outcome: 'invalid', fieldErrors: { documentNumber: { key: 'needsSupport' } } },
    ] satisfies SubmitIdentityOutput[]),
    ...doneWith('recordReview', [undefined]),
    ...notified,
  }),
  abstraction: (context) => ({
    decision: (context.decision as { decision?: string } | null)?.decision ?? null,
    reminded: context.reminded,
    notice: context.notice,
  }),
  typicalState: 'pendingReview',
};

const linkSlackUserSpec: ModelSpec = {
  machine: linkSlackUserMachine,
  inputs: [base],
  samples: (snapshot) => ({
    ...codeSamples(snapshot),
    NOTIFY_SUPPORT: [ev('NOTIFY_SUPPORT', { now: USER_NOW })],
    ...doneWith('findAccount', [
      { outcome: 'found' },
      { outcome: 'noMatch' },
      { outcome: 'alreadyLinked' },
    ] satisfies FindAccountOutput[]),
    ...doneWith('codeChallenge', challengeOutputs),
    ...doneWith('linkAccount', [undefined]),
    ...notified,
  }),
  abstraction: (context) => ({ notice: context.notice }),
  typicalState: 'confirmingOwnership',
};

const unlockInput = (directoryLocked: boolean): UnlockAccountInput => ({
  ...contactChangeInput,
  directoryLocked,
});

const unlockAccountSpec: ModelSpec = {
  machine: unlockAccountMachine,
  inputs: [unlockInput(true), unlockInput(false)],
  samples: (snapshot) => ({
    ...codeSamples(snapshot),
    ...doneWith('stepUp', stepUpOutputs),
    ...doneWith('unlockDirectory', [
      { outcome: 'unlocked' },
      { outcome: 'notLocked' },
    ] satisfies UnlockDirectoryOutput[]),
    ...notified,
  }),
  abstraction: (context) => ({ notice: context.notice }),
  typicalState: 'stepUp',
};

export const modelSpecs: ModelSpec[] = [
  codeChallengeSpec,
  stepUpSpec,
  editBasicInfoSpec,
  contactChangeSpec(changeContactMobileMachine),
  contactChangeSpec(changeSecurityMobileMachine),
  contactChangeSpec(changeContactEmailMachine),
  contactChangeSpec(changeVerificationEmailMachine),
  contactChangeSpec(changeLoginEmailMachine, true),
  changePasswordSpec,
  resetPasswordSpec,
  identityVerificationSpec,
  linkSlackUserSpec,
  unlockAccountSpec,
];
