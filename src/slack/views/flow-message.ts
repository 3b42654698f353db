import type { CodeState } from '../../../machines/shared/codes.js';
import type { FieldError, FieldErrors, FlowMessageKey } from '../../../machines/shared/messages.js';
import type { FlowView } from '../../../machines/shared/view.js';
import type { EngineResult } from '../../engine/flow-engine.js';
import type { AccountSummary } from '../account-summary.js';
import { waitText } from '../../messages/codes.js';
import { common } from '../../messages/common.js';
import { flows, flowText, type FlowTimings } from '../../messages/flows.js';
import { notifications } from '../../messages/notifications.js';
import { slack } from '../../messages/slack.js';
import { fieldErrorText } from '../../messages/validation.js';
import { FlowActions, REPLACE_FLOW_ACTION_ID, valueButtonValue } from '../action-ids.js';
import { basicInfoStep } from '../flows/edit-basic-info.js';
import { identityStep } from '../flows/identity-verification.js';
import { actions, button, escapeMrkdwn, section, type Button, type KnownBlock } from './blocks.js';

export interface FlowMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface FlowMessageInput {
  machineId: string;
  result: EngineResult;
  now: number;
  /** The change-password page URL, present only on the one render right after it was minted. */
  passwordUrl?: string | null;
  /** The configured durations the sentences state. */
  timings: FlowTimings;
  /** The account, masked, for the account-information overview (SPEC §3.2 shows all of §2). */
  account?: AccountSummary | null;
}

/** Every §2 field as "*Label:* value" lines, the way the Home tab shows them. */
function accountLines(account: AccountSummary): string[] {
  const rows = [...account.basic, account.address, ...account.security];
  const status = account.verification.reason
    ? `${account.verification.label}: ${account.verification.reason}`
    : account.verification.label;
  rows.push({ label: slack.fields.verificationStatus, value: status });
  const lines = rows.map((row) => `*${escapeMrkdwn(row.label)}:* ${escapeMrkdwn(row.value)}`);
  return account.inconsistent ? [...lines, slack.home.consistencyHint] : lines;
}

export function flowTitle(machineId: string): string {
  return (slack.flowTitles as Record<string, string>)[machineId] ?? slack.home.title;
}

function isFlowMessageKey(key: string): key is FlowMessageKey {
  return Object.hasOwn(flows, key);
}

export function flowSentence(
  key: FlowMessageKey | string | null | undefined,
  timings: FlowTimings,
): string | null {
  if (!key || !isFlowMessageKey(key)) return null;
  return flowText(key, timings);
}

function codeOf(view: FlowView): CodeState | null {
  const code = view.context.code;
  return typeof code === 'object' && code !== null ? (code as CodeState) : null;
}

/** What a validator found wrong with the value the flow asked for, as the catalog says it. */
export function fieldErrorOf(view: FlowView): string | null {
  const error = view.context.fieldError as FieldError | null | undefined;
  return error ? fieldErrorText(error) : null;
}

/** Each field's problem with the form the flow shows, as the catalog says it. */
export function fieldErrorsOf(view: FlowView): Record<string, string> {
  const errors = (view.context.fieldErrors ?? {}) as FieldErrors;
  return Object.fromEntries(Object.entries(errors).map(([field, error]) => [field, fieldErrorText(error)]));
}

export function resendSeconds(code: CodeState | null, now: number): number {
  return code === null ? 0 : Math.max(0, Math.ceil((code.resendAt - now) / 1000));
}

/** Codes that confirm who the person is go to an address the account has, not the one being changed. */
function confirmsIdentity(purpose: string): boolean {
  return purpose === 'step-up' || purpose === 'reset-identity';
}

/** Step-up and the reset page's identity check may switch between SMS and email. */
function canUseAlternate(view: FlowView): boolean {
  const purpose =
    view.meta.view === 'enterCode' || view.meta.view === 'codeNeedsResend' ? view.meta.purpose : null;
  if (purpose !== 'step-up' && purpose !== 'reset-identity') return false;
  const methods = view.context.methods as { sms?: boolean; email?: boolean } | undefined;
  return methods === undefined || (Boolean(methods.sms) && Boolean(methods.email));
}

function activeBody(
  view: FlowView,
  flowId: string,
  now: number,
  passwordUrl: string | null,
  account: AccountSummary | null,
): { lines: string[]; buttons: Button[] } {
  const cancel = button(slack.buttons.cancel, FlowActions.cancel, { value: flowId, style: 'danger' });
  const meta = view.meta;
  switch (meta.view) {
    case 'enterValue': {
      const lines: string[] = [slack.flowMessage.enterValue];
      const error = fieldErrorOf(view);
      if (error) lines.push(`:warning: ${escapeMrkdwn(error)}`);
      return {
        lines,
        buttons: [
          button(slack.buttons.enterValue, FlowActions.enterValue, {
            value: valueButtonValue(meta.field, flowId),
            style: 'primary',
          }),
          cancel,
        ],
      };
    }
    case 'enterCode': {
      const code = codeOf(view);
      const seconds = resendSeconds(code, now);
      const target = escapeMrkdwn(code?.maskedTarget ?? '');
      const lines = [
        code?.delayed
          ? notifications.delivery.delayed
          : confirmsIdentity(meta.purpose)
            ? slack.flowMessage.identityCodeSent(target)
            : slack.flowMessage.codeSent(target),
      ];
      if (code?.attemptsLeft !== null && code?.attemptsLeft !== undefined)
        lines.push(slack.flowMessage.attemptsLeft(code.attemptsLeft));
      lines.push(
        seconds > 0 ? slack.flowMessage.resendIn(waitText(seconds * 1000)) : slack.flowMessage.resendNow,
      );
      const buttons = [
        button(slack.buttons.enterCode, FlowActions.enterCode, { value: flowId, style: 'primary' }),
        button(slack.buttons.resend, FlowActions.resend, { value: flowId }),
      ];
      if (canUseAlternate(view))
        buttons.push(button(slack.buttons.useAlternate, FlowActions.useAlternate, { value: flowId }));
      if (
        meta.purpose !== 'step-up' &&
        meta.purpose !== 'account-link' &&
        meta.purpose !== 'reset-identity'
      ) {
        buttons.push(button(slack.buttons.editAgain, FlowActions.editValue, { value: flowId }));
      }
      return { lines, buttons: [...buttons, cancel] };
    }
    case 'codeNeedsResend': {
      const buttons = [button(slack.buttons.resend, FlowActions.resend, { value: flowId, style: 'primary' })];
      if (canUseAlternate(view))
        buttons.push(button(slack.buttons.useAlternate, FlowActions.useAlternate, { value: flowId }));
      const seconds = resendSeconds(codeOf(view), now);
      const lines: string[] = [slack.flowMessage.codeNeedsResend];
      if (seconds > 0) lines.push(slack.flowMessage.resendIn(waitText(seconds * 1000)));
      return { lines, buttons: [...buttons, cancel] };
    }
    case 'openPasswordPage':
      return passwordUrl
        ? {
            lines: [slack.flowMessage.openPasswordPage],
            buttons: [
              button(slack.buttons.openPasswordPage, FlowActions.openPasswordPage, {
                url: passwordUrl,
                style: 'primary',
              }),
              cancel,
            ],
          }
        : {
            lines: [slack.flowMessage.passwordLinkGone],
            buttons: [button(slack.buttons.newLink, FlowActions.renewLink, { value: flowId }), cancel],
          };
    case 'passwordLinkExpired':
      return {
        lines: [slack.flowMessage.passwordLinkExpired],
        buttons: [
          button(slack.buttons.newLink, FlowActions.renewLink, { value: flowId, style: 'primary' }),
          cancel,
        ],
      };
    case 'forgotPassword':
      return {
        lines: [slack.flowMessage.forgotPassword],
        buttons: [
          button(slack.buttons.continue, FlowActions.enterLoginEmail, { value: flowId, style: 'primary' }),
          cancel,
        ],
      };
    case 'newPassword':
      return { lines: [slack.flowMessage.newPassword], buttons: [cancel] };
    case 'accountOverview':
    case 'editBasicInfo': {
      const section = view.context.section;
      const step = basicInfoStep(
        meta.view,
        flowId,
        section === 'name' || section === 'industry' || section === 'address' ? section : null,
      );
      const problems = Object.values(fieldErrorsOf(view));
      const fields = meta.view === 'accountOverview' && account ? accountLines(account) : [];
      return {
        lines: [...step.lines, ...fields, ...problems.map((problem) => `:warning: ${escapeMrkdwn(problem)}`)],
        buttons: [...step.buttons, cancel],
      };
    }
    case 'identitySubject':
    case 'identityWarnings':
    case 'identityForm':
    case 'identityRejected': {
      const subject =
        view.context.subject === 'organization'
          ? 'organization'
          : view.context.subject === 'individual'
            ? 'individual'
            : null;
      const step = identityStep(meta.view, flowId, subject);
      const problems = Object.values(fieldErrorsOf(view));
      const lines =
        problems.length > 0 && meta.view === 'identityForm'
          ? [
              ...step.lines,
              `:warning: ${slack.identity.formProblem}`,
              ...problems.map((problem) => `• ${escapeMrkdwn(problem)}`),
            ]
          : step.lines;
      return { lines, buttons: [...step.buttons, cancel] };
    }
    case 'identityPending': {
      const expectedBy = view.context.expectedBy;
      const date = typeof expectedBy === 'number' ? new Date(expectedBy).toISOString().slice(0, 10) : '';
      return { lines: [slack.flowMessage.identityPending(date)], buttons: [] };
    }
    case 'noAccountMatch':
      return {
        lines: [slack.flowMessage.noAccountMatch],
        buttons: [
          button(slack.buttons.notifySupport, FlowActions.notifySupport, { value: flowId, style: 'primary' }),
          cancel,
        ],
      };
    case 'finished':
      return { lines: [], buttons: [] };
    case 'working':
    case 'delegated':
      return { lines: [slack.flowMessage.working], buttons: [cancel] };
  }
}

function compose(title: string, lines: string[], buttons: Button[], blockId: string): FlowMessage {
  const body = lines.filter(Boolean).join('\n');
  const blocks: KnownBlock[] = [section(`*${escapeMrkdwn(title)}*\n${body}`)];
  if (buttons.length > 0) blocks.push(actions(blockId, buttons));
  return { text: `${title}: ${lines[0] ?? ''}`, blocks };
}

/** The one DM message of a flow, as it stands after the engine's latest answer. */
export function flowMessage(input: FlowMessageInput): FlowMessage {
  const { result, now } = input;
  const title = flowTitle(input.machineId);
  switch (result.status) {
    case 'active': {
      if (result.view === null) return compose(title, [slack.flowMessage.working], [], 'flow');
      const { lines, buttons } = activeBody(
        result.view,
        result.flowId,
        now,
        input.passwordUrl ?? null,
        input.account ?? null,
      );
      const notice = flowSentence(result.view.notice, input.timings);
      return compose(
        title,
        notice ? [notice, ...lines] : lines,
        buttons,
        `flow:${result.flowId}`.slice(0, 255),
      );
    }
    case 'finished':
      return compose(
        title,
        [flowSentence(result.output.reason, input.timings) ?? flows['flow.completed']],
        [],
        'flow',
      );
    case 'expired':
      return compose(title, [slack.flowMessage.expired], [], 'flow');
    case 'missing':
      return compose(title, [slack.flowMessage.missing], [], 'flow');
    case 'ended':
      return compose(title, [slack.flowMessage.ended], [], 'flow');
    case 'already-handled':
      return compose(title, [slack.flowMessage.alreadyHandled], [], 'flow');
    case 'unavailable':
      return compose(title, [common.temporarilyUnavailable], [], 'flow');
    case 'locked':
      return compose(title, [slack.flowMessage.locked], [], 'flow');
    case 'conflict':
      return conflictMessage(input.machineId, result.activeFlowId, result.activeMachineId);
  }
}

/** One flow is open and the person asked for another: Resume it, or cancel it and start. */
export function conflictMessage(
  wantedMachineId: string,
  activeFlowId: string,
  activeMachineId: string,
): FlowMessage {
  const title = flowTitle(activeMachineId);
  return {
    text: slack.flowMessage.conflict(title),
    blocks: [
      section(slack.flowMessage.conflict(escapeMrkdwn(title))),
      actions('flow_conflict', [
        button(slack.buttons.resume, FlowActions.resume, { value: activeFlowId, style: 'primary' }),
        button(slack.buttons.cancelAndStart, REPLACE_FLOW_ACTION_ID, {
          value: wantedMachineId,
          style: 'danger',
        }),
      ]),
    ],
  };
}
