import type { App, BlockButtonAction, webApi } from '@slack/bolt';
import type { AccountAddressField } from '../../../../machines/shared/codes.js';
import { FlowActions, parseValueButton } from '../../action-ids.js';
import { slackError } from '../../flow-ui.js';
import { flowTitle } from '../../views/flow-message.js';
import type { ModalView } from '../../views/blocks.js';
import { codeModal, loginEmailModal, valueModal } from '../../views/modals.js';
import type { SlackKit } from '../kit.js';

const FIELD_TITLES: Record<AccountAddressField, string> = {
  contactMobile: 'changeContactMobile',
  securityMobile: 'changeSecurityMobile',
  contactEmail: 'changeContactEmail',
  verificationEmail: 'changeVerificationEmail',
  loginEmail: 'changeLoginEmail',
};

/**
 * Buttons that open a modal. The trigger id lives about 3 s, so the modal opens first with
 * what the button carries; nothing is read from the engine before views.open.
 */
export function register(app: App, kit: SlackKit): void {
  const open = async (client: webApi.WebClient, triggerId: string, view: ModalView) => {
    try {
      await client.views.open({ trigger_id: triggerId, view });
    } catch (error) {
      kit.deps.logger.warn({ err: slackError(error) }, 'modal could not be opened');
    }
  };

  app.action<BlockButtonAction>(FlowActions.enterCode, async ({ ack, body, action, client }) => {
    await ack();
    await open(client, body.trigger_id, codeModal(action.value ?? '', null));
  });

  app.action<BlockButtonAction>(FlowActions.enterValue, async ({ ack, body, action, client }) => {
    await ack();
    const parsed = parseValueButton(action.value ?? '');
    if (!parsed) return;
    await open(
      client,
      body.trigger_id,
      valueModal(parsed.flowId, flowTitle(FIELD_TITLES[parsed.field]), parsed.field),
    );
  });

  app.action<BlockButtonAction>(FlowActions.enterLoginEmail, async ({ ack, body, action, client }) => {
    await ack();
    await open(client, body.trigger_id, loginEmailModal(action.value ?? ''));
  });
}
