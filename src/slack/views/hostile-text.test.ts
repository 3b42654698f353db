import { describe, expect, it } from 'vitest';
import type { CodePurpose } from '../../../machines/shared/codes.js';
import type { FlowView } from '../../../machines/shared/flow-view.js';
import type { ViewMeta } from '../../../machines/shared/view.js';
import type { Account, VerificationSubmission } from '../../domain/account.js';
import type { DirectMessage } from '../../ports/direct-messenger.js';
import { summarizeAccount } from '../account-summary.js';
import { noticeBlocks, noticeText } from '../direct-messenger.js';
import { auditLine } from '../support/audit-mirror.js';
import { basicInfoModal } from '../flows/edit-basic-info.js';
import { escapeMrkdwn } from './blocks.js';
import { conflictMessage, flowMessage } from './flow-message.js';
import { helpMessage, unknownSubcommandText } from './help.js';
import { homeView } from './home.js';
import { menuMessage } from './menu.js';
import { identityModal } from '../flows/identity-verification.js';
import { codeModal } from '../flows/code-challenge.js';
import { valueModal } from '../flows/contact-change.js';
import { loginEmailModal } from '../flows/reset-password.js';
import {
  decidedCard,
  documentModal,
  overdueReminder,
  rejectReasonModal,
  reviewCard,
  type ReviewCardInput,
} from './review.js';
import { handOffDm, lookupMessage, resetOfferMessage } from './support.js';
import { slackViews } from '../flows/index.js';

/** Markup that makes Slack link, mention or notify when it reaches mrkdwn unescaped. */
const PAYLOADS = [
  '<https://evil.example/login|Reset your password>',
  '<http://evil.example|click>',
  '<https://evil.example>',
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S0EVIL|@admins>',
  '<!date^1392734382^{date}|Feb 18>',
  '<@U0VICTIM>',
  '<@W0VICTIM|boss>',
  '<#C0GENERAL>',
  '<#C0GENERAL|general>',
  '<mailto:evil@example.com|support>',
  '<tel:+14155552671|call support>',
];

/** The ways a person wraps markup to slip past a naive escaper or a code span. */
const WRAPPERS: ((payload: string) => string)[] = [
  (p) => p,
  (p) => `a\`${p}\`b`,
  (p) => `\`${p}`,
  (p) => `\`\`\`${p}\`\`\``,
  (p) => `&${p}&amp;`,
  (p) => `&lt;${p}&gt;`,
  (p) => `\u200d${p}\u2060`,
  (p) => `*${p}* _${p}_`,
  (p) => `> ${p}\n${p}`,
  (p) => `<${p}>`,
  (p) => `x<${p}<`,
  (p) => p.toUpperCase(),
];

const HOSTILE = PAYLOADS.flatMap((payload) => WRAPPERS.map((wrap) => wrap(payload)));

/** Slack user ids the builders themselves put in mentions (reviewer, submitter): not typed text. */
const SYSTEM_MENTIONS = /<@U0(REVIEWER|SUBMITTER|AGENT)>/g;
const LIVE_MARKUP = /<(https?:|!|@|#|mailto:|tel:)/i;

/** Every string Slack parses as mrkdwn: mrkdwn text objects and a message's `text`. */
function mrkdwnTexts(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) mrkdwnTexts(item, out);
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (key === 'text' && typeof child === 'string' && record.type !== 'plain_text') out.push(child);
      else mrkdwnTexts(child, out);
    }
  }
  return out;
}

function hostileAccount(h: string): Account {
  return {
    accountId: '1000001',
    appId: '100000000014',
    loginEmail: `${h}@${h}`,
    accountName: h,
    registeredAt: Date.UTC(2026, 0, 5),
    industry: h,
    contactNumber: null,
    contactEmail: `${h}@example.com`,
    contactEmailVerified: false,
    contactAddress: null,
    securityMobile: null,
    verificationEmail: `a${h}@${h}.example`,
    passwordHash: null,
    passwordHistory: [],
    passwordChangedAt: null,
    credentialVersion: 1,
    verification: { status: 'rejected', reason: h },
    selfServiceLocked: true,
    lockedReason: h,
    lockedAt: 0,
    slackUsers: [],
  };
}

function hostileReview(h: string): ReviewCardInput {
  const submission: VerificationSubmission = {
    id: '1000001-0123456789abcdef',
    accountId: '1000001',
    kind: 'individual',
    documentType: 'passport',
    name: h,
    region: h,
    documentNumberEncrypted: `v1.${'a'.repeat(16)}.${'b'.repeat(20)}.${'c'.repeat(22)}`,
    documentHash: 'f'.repeat(64),
    documentNumberMasked: h,
    image: { ref: h, contentType: 'image/png', bytes: 10, digest: 'd'.repeat(64) },
    submittedAt: 0,
    status: 'pending',
    decision: null,
  };
  return {
    submission,
    account: hostileAccount(h),
    submitterId: 'U0SUBMITTER',
    expectedBy: 0,
  };
}

/** A code view's purpose lives in the code challenge's context, beside the meta. */
const VIEW_METAS: Array<ViewMeta & { purpose?: CodePurpose }> = [
  { view: 'working' },
  { view: 'enterValue', field: 'contactMobile' },
  { view: 'enterCode', purpose: 'contact-mobile' },
  { view: 'enterCode', purpose: 'step-up' },
  { view: 'codeNeedsResend', purpose: 'step-up' },
  { view: 'accountOverview' },
  { view: 'editBasicInfo' },
  { view: 'openPasswordPage' },
  { view: 'passwordLinkExpired' },
  { view: 'forgotPassword' },
  { view: 'newPassword' },
  { view: 'identitySubject' },
  { view: 'identityWarnings' },
  { view: 'identityForm' },
  { view: 'identityPending' },
  { view: 'identityRejected' },
  { view: 'noAccountMatch' },
  { view: 'finished', outcome: 'done' },
];

const NOTICE_KINDS: DirectMessage['kind'][] = [
  'codesLocked',
  'passwordCooldown',
  'securityMobileChanged',
  'verificationEmailChanged',
  'loginEmailChanged',
  'passwordChanged',
  'passwordReset',
  'identityApproved',
  'identityRejected',
  'identityReviewOverdue',
  'linkNoMatch',
];

interface Rendered {
  builder: string;
  output: unknown;
  /** The builder shows the typed text whole (not masked), so its escaped form must appear. */
  showsWhole: boolean;
}

/** Every view builder, with the hostile text in every field a person can type or influence. */
function renderAll(h: string): Rendered[] {
  // One context with every value any view reads, shown through each view in turn.
  const flowView = ({ purpose, ...meta }: ViewMeta & { purpose?: CodePurpose }): FlowView =>
    ({
      view: meta.view,
      machineId: 'changeContactMobile',
      stateId: `x.${meta.view}`,
      meta,
      notice: null,
      context: {
        purpose,
        alternate:
          purpose === 'step-up'
            ? { channel: 'email', target: { kind: 'current', field: 'verificationEmail' } }
            : null,
        code: { channel: 'sms', maskedTarget: h, expiresAt: 1, resendAt: 1, attemptsLeft: 2 },
        // Validators answer keys; only a sentence's values can carry text from outside.
        fieldError: { key: 'postalCode.forRegion', params: { regionName: h, example: h } },
        fieldErrors: {
          accountName: { key: 'postalCode.forRegion', params: { regionName: h, example: h } },
          documentNumber: { key: 'tooLong', params: { max: 1 } },
        },
        section: 'name',
        subject: 'individual',
        expectedBy: 0,
      },
    }) as unknown as FlowView;
  const review = hostileReview(h);
  const account = hostileAccount(h);
  return [
    {
      builder: 'homeView',
      output: homeView({ account: summarizeAccount(account), latest: [{ at: h, text: h }] }),
      showsWhole: true,
    },
    ...VIEW_METAS.map((meta) => ({
      builder: `flowMessage(${meta.view}${meta.purpose ? `:${meta.purpose}` : ''})`,
      output: flowMessage({
        views: slackViews,
        machineId: 'changeContactMobile',
        result: {
          status: 'active',
          flowId: 'f1',
          machineId: 'changeContactMobile',
          view: flowView(meta),
          busy: false,
        },
        now: 0,
        timings: {
          codeTtlMs: 60_000,
          codeLockMs: 60_000,
          wrongPasswordCooldownMs: 60_000,
          resetLinkTtlMs: 3_600_000,
        },
        passwordUrl: 'https://assistant.example/password/x',
      }),
      showsWhole: ['enterValue', 'enterCode', 'accountOverview', 'editBasicInfo', 'identityForm'].includes(
        meta.view,
      ),
    })),
    { builder: 'conflictMessage', output: conflictMessage(h, 'f1', h), showsWhole: false },
    {
      builder: 'codeModal',
      output: codeModal('f1', {
        channel: 'sms',
        maskedTarget: h,
        expiresAt: 1,
        resendAt: 1,
        attemptsLeft: 2,
      }),
      showsWhole: true,
    },
    { builder: 'reviewCard', output: reviewCard(review), showsWhole: true },
    {
      builder: 'documentModal',
      output: documentModal({ submission: review.submission, documentNumber: h, imageUrl: null }),
      showsWhole: true,
    },
    {
      builder: 'decidedCard(rejected)',
      output: decidedCard(review, { decision: 'rejected', reviewerId: 'U0REVIEWER', at: 0, reason: h }),
      showsWhole: true,
    },
    {
      builder: 'lookupMessage',
      output: lookupMessage('U0AGENT', {
        accountId: '1000001',
        accountName: h,
        loginEmail: h,
        securityMobile: h,
        verification: 'rejected',
        lock: { reason: h, at: 0 },
        codesLockedUntil: null,
        recent: [{ action: h, outcome: 'failure', at: 0 }],
      }),
      showsWhole: true,
    },
    ...NOTICE_KINDS.map((kind) => {
      const message = {
        kind,
        owner: 'slack:T0TEAM:U0SUBMITTER',
        accountId: '1000001',
        flowId: 'f1',
        detail: { reason: h, submission: h, submissionId: h, until: '0' },
      };
      return {
        builder: `notice(${kind})`,
        output: { text: noticeText(message), blocks: noticeBlocks(message) },
        showsWhole: kind === 'identityRejected' || kind === 'identityReviewOverdue',
      };
    }),
    { builder: 'unknownSubcommandText', output: { text: unknownSubcommandText(h) }, showsWhole: true },
    {
      builder: 'auditLine',
      output: { text: auditLine({ actor: h, action: h, outcome: 'failure', accountId: h }) },
      showsWhole: true,
    },
    { builder: 'helpMessage', output: helpMessage(), showsWhole: false },
    { builder: 'menuMessage', output: menuMessage(), showsWhole: false },
    {
      builder: 'basicInfoModal',
      output: basicInfoModal('f1', 'address', {
        fullName: h,
        companyName: h,
        region: h,
        state: h,
        city: h,
        address: h,
        postalCode: h,
      }),
      showsWhole: false,
    },
    {
      builder: 'basicInfoModal(name)',
      output: basicInfoModal('f1', 'name', { accountName: h }),
      showsWhole: false,
    },
    { builder: 'identityModal(individual)', output: identityModal('f1', 'individual'), showsWhole: false },
    {
      builder: 'identityModal(organization)',
      output: identityModal('f1', 'organization'),
      showsWhole: false,
    },
    {
      builder: 'valueModal',
      output: valueModal('f1', 'Change contact number', 'contactMobile'),
      showsWhole: false,
    },
    { builder: 'loginEmailModal', output: loginEmailModal('f1'), showsWhole: false },
    { builder: 'rejectReasonModal', output: rejectReasonModal(h), showsWhole: false },
    { builder: 'overdueReminder', output: overdueReminder('1000001'), showsWhole: false },
    { builder: 'resetOfferMessage', output: resetOfferMessage(), showsWhole: false },
    { builder: 'handOffDm', output: handOffDm(), showsWhole: false },
  ];
}

describe('text a person typed never becomes live mrkdwn', () => {
  it(`walks every view builder with ${HOSTILE.length} hostile strings in every field`, () => {
    expect(HOSTILE.length).toBe(PAYLOADS.length * WRAPPERS.length);
    let checked = 0;
    for (const h of HOSTILE) {
      for (const { builder, output, showsWhole } of renderAll(h)) {
        const texts = mrkdwnTexts(output);
        for (const text of texts) {
          const live = text.replace(SYSTEM_MENTIONS, '').match(LIVE_MARKUP);
          expect(live, `${builder} with ${JSON.stringify(h)} renders ${JSON.stringify(text)}`).toBeNull();
          checked += 1;
        }
        if (showsWhole)
          expect(
            texts.some((text) => text.includes(escapeMrkdwn(h))),
            `${builder} shows ${JSON.stringify(h)}`,
          ).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(HOSTILE.length * 30);
  });

  it('escapes exactly what Slack asks: &, < and >', () => {
    expect(escapeMrkdwn('a & <b> `c`')).toBe('a &amp; &lt;b&gt; `c`');
  });
});
