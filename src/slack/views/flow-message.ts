import type { FlowMessageKey } from '../../../machines/shared/messages.js';
import type { FlowView } from '../../../machines/shared/flow-view.js';
import type { FlowOutput } from '../../../machines/shared/flow.js';
import { isFlowId } from '../../engine/flow-registry.js';
import type { EngineResult } from '../../engine/flow-engine.js';
import type { AccountSummary } from '../account-summary.js';
import { common } from '../../messages/common.js';
import { flows, flowText, type FlowTimings } from '../../messages/flows.js';
import { slack } from '../../messages/slack.js';
import { fieldErrorText } from '../../messages/validation.js';
import { FlowActions, REPLACE_FLOW_ACTION_ID } from '../action-ids.js';
import { actions, button, escapeMrkdwn, section, type Button, type KnownBlock } from './blocks.js';
import type { BodyInput, ViewBody, ViewRenderers } from './flow-body.js';

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
  /** Every flow's renderers (src/slack/flows/), handed in so no flow's file imports them all. */
  views: ViewRenderers;
}

/** The flow's title; the Home title for a flow not known (any more). */
export function flowTitle(machineId: string | null): string {
  return machineId !== null && isFlowId(machineId) ? slack.flowTitles[machineId] : slack.home.title;
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

/** What a validator found wrong with the value the flow asked for, as the catalog says it. */
export function fieldErrorOf(view: FlowView): string | null {
  return view.view === 'enterValue' && view.context.fieldError
    ? fieldErrorText(view.context.fieldError)
    : null;
}

/** Each field's problem with the form the flow shows, as the catalog says it. */
export function fieldErrorsOf(view: FlowView): Record<string, string> {
  if (!('fieldErrors' in view.context)) return {};
  const errors = Object.entries(view.context.fieldErrors);
  return Object.fromEntries(errors.map(([field, error]) => [field, fieldErrorText(error)]));
}

/** The view's lines and buttons, from the flow that owns it; a waiting flow offers Cancel. */
function activeBody(views: ViewRenderers, view: FlowView, input: BodyInput): ViewBody {
  if (view.view === 'finished') return { lines: [], buttons: [] };
  // The table is keyed by view name, so the renderer found takes exactly this view's type.
  const render = views[view.view] as ((view: FlowView, input: BodyInput) => ViewBody) | undefined;
  return render ? render(view, input) : { lines: [slack.flowMessage.working], buttons: [input.cancel] };
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
      const cancel = button(slack.buttons.cancel, FlowActions.cancel, {
        value: result.flowId,
        style: 'danger',
      });
      const { lines, buttons } = activeBody(input.views, result.view, {
        flowId: result.flowId,
        now,
        passwordUrl: input.passwordUrl ?? null,
        account: input.account ?? null,
        cancel,
      });
      const notice = flowSentence(result.view.notice, input.timings);
      return compose(
        title,
        notice ? [notice, ...lines] : lines,
        buttons,
        `flow:${result.flowId}`.slice(0, 255),
      );
    }
    case 'finished':
      return outcomeMessage(input.machineId, result.output, input.timings);
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

/** How a flow ended, in place of the buttons its message offered. */
export function outcomeMessage(machineId: string, output: FlowOutput, timings: FlowTimings): FlowMessage {
  return compose(
    flowTitle(machineId),
    [flowSentence(output.reason, timings) ?? flows['flow.completed']],
    [],
    'flow',
  );
}

/** One flow is open and the person asked for another: Resume it, or cancel it and start. */
export function conflictMessage(
  wantedMachineId: string,
  activeFlowId: string,
  activeMachineId: string | null,
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
