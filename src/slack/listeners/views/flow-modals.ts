import type { App, ViewSubmitAction } from '@slack/bolt';
import type { CodeState } from '../../../../machines/shared/codes.js';
import type { EngineResult } from '../../../engine/flow-engine.js';
import { codes } from '../../../messages/codes.js';
import { common } from '../../../messages/common.js';
import { flowTimings, type FlowTimings } from '../../../messages/flows.js';
import { slack } from '../../../messages/slack.js';
import { ModalCallbacks } from '../../action-ids.js';
import { flowSentence } from '../../views/flow-message.js';
import { ModalInputs } from '../../views/modals.js';
import type { SlackKit } from '../kit.js';
import { actorOf } from '../payload.js';

type Values = ViewSubmitAction['view']['state']['values'];

function textValue(values: Values, input: { block: string; action: string }): string {
  return (values[input.block]?.[input.action]?.value ?? '').trim();
}

/** The sentence to show under the field when the flow stayed on the same step. */
function codeRefusal(result: EngineResult, timings: FlowTimings): string | null {
  if (result.status !== 'active' || result.view === null) return null;
  if (result.view.meta.view !== 'enterCode') return null;
  const left = (result.view.context.code as CodeState | null | undefined)?.attemptsLeft;
  if (result.view.notice === 'code.wrong' && typeof left === 'number') return codes.wrong(left);
  return flowSentence(result.view.notice, timings);
}

function valueRefusal(result: EngineResult, timings: FlowTimings): string | null {
  if (result.status !== 'active' || result.view === null || result.view.meta.view !== 'enterValue')
    return null;
  const error = result.view.context.fieldError;
  return typeof error === 'string' && error.includes(' ') ? error : flowSentence(result.view.notice, timings);
}

/**
 * Modal submissions. The engine answers within the ack window (a code check is one Lua
 * call), so a wrong code or an invalid value stays in the modal as a field error; anything
 * else closes the modal and the flow's DM message shows the new step.
 */
export function register(app: App, kit: SlackKit): void {
  app.view<ViewSubmitAction>(ModalCallbacks.code, async ({ ack, body, view, client }) => {
    const code = textValue(view.state.values, ModalInputs.code).replace(/\s+/g, '');
    if (!/^\d{6}$/.test(code)) {
      await ack({ response_action: 'errors', errors: { [ModalInputs.code.block]: slack.modal.codeFormat } });
      return;
    }
    const actor = actorOf(body);
    const result = await kit.deps.engine.send(
      `slack:${actor.teamId}:${actor.userId}`,
      view.private_metadata,
      {
        type: 'SUBMIT_CODE',
        code,
      },
    );
    const refusal =
      result.status === 'unavailable'
        ? common.temporarilyUnavailable
        : codeRefusal(result, flowTimings(kit.deps.config));
    if (refusal) {
      await ack({ response_action: 'errors', errors: { [ModalInputs.code.block]: refusal } });
    } else {
      await ack();
    }
    await kit.ui.show(client, actor, view.private_metadata, result);
  });

  app.view<ViewSubmitAction>(ModalCallbacks.value, async ({ ack, body, view, client }) => {
    const value = textValue(view.state.values, ModalInputs.value);
    if (value === '') {
      await ack({
        response_action: 'errors',
        errors: { [ModalInputs.value.block]: slack.modal.valueRequired },
      });
      return;
    }
    const actor = actorOf(body);
    const result = await kit.deps.engine.send(
      `slack:${actor.teamId}:${actor.userId}`,
      view.private_metadata,
      {
        type: 'SUBMIT_VALUE',
        value,
      },
    );
    const refusal =
      result.status === 'unavailable'
        ? common.temporarilyUnavailable
        : valueRefusal(result, flowTimings(kit.deps.config));
    if (refusal) {
      await ack({ response_action: 'errors', errors: { [ModalInputs.value.block]: refusal } });
    } else {
      await ack();
    }
    await kit.ui.show(client, actor, view.private_metadata, result);
  });

  app.view<ViewSubmitAction>(ModalCallbacks.loginEmail, async ({ ack, body, view, client }) => {
    const loginEmail = textValue(view.state.values, ModalInputs.loginEmail);
    if (loginEmail === '') {
      await ack({
        response_action: 'errors',
        errors: { [ModalInputs.loginEmail.block]: slack.modal.valueRequired },
      });
      return;
    }
    await ack();
    await kit.ui.send(client, actorOf(body), view.private_metadata, {
      type: 'SUBMIT_LOGIN_EMAIL',
      loginEmail,
    });
  });
}
