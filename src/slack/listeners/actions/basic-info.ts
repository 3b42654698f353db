import type { App, BlockButtonAction } from '@slack/bolt';
import type { BasicInfoSection } from '../../../../machines/shared/effects.js';
import type { Account } from '../../../domain/account.js';
import { BasicInfoActions, parseChoice } from '../../action-ids.js';
import { basicInfoModal } from '../../views/basic-info.js';
import type { SlackKit } from '../kit.js';
import { actorOf, locationOf } from '../payload.js';

function asSection(value: string): BasicInfoSection | null {
  return value === 'name' || value === 'industry' || value === 'address' ? value : null;
}

function currentValues(account: Account | null): Record<string, string> {
  if (!account) return {};
  return {
    accountName: account.accountName,
    ...(account.industry ? { industry: account.industry } : {}),
    ...(account.contactAddress ?? {}),
  };
}

/** SPEC 3.2 buttons: pick a section, open its form, go back, finish. */
export function register(app: App, kit: SlackKit): void {
  app.action<BlockButtonAction>(
    new RegExp(`^${BasicInfoActions.edit}:`),
    async ({ ack, body, action, client }) => {
      await ack();
      const parsed = parseChoice(action.value ?? '');
      const section = parsed ? asSection(parsed.choice) : null;
      if (!parsed || !section) return;
      await kit.ui.send(client, actorOf(body), parsed.flowId, { type: 'EDIT', section }, locationOf(body));
    },
  );

  app.action<BlockButtonAction>(BasicInfoActions.back, async ({ ack, body, action, client }) => {
    await ack();
    await kit.ui.send(client, actorOf(body), action.value ?? '', { type: 'BACK' }, locationOf(body));
  });

  app.action<BlockButtonAction>(BasicInfoActions.close, async ({ ack, body, action, client }) => {
    await ack();
    await kit.ui.send(client, actorOf(body), action.value ?? '', { type: 'CLOSE' }, locationOf(body));
  });

  app.action<BlockButtonAction>(BasicInfoActions.openForm, async ({ ack, body, action, client }) => {
    await ack();
    const parsed = parseChoice(action.value ?? '');
    const section = parsed ? asSection(parsed.choice) : null;
    if (!parsed || !section) return;
    // Opened with the current values right away; the directory read is one fast call. When it
    // or views.open fails, the app's failure answer tells the person (src/slack/answer/).
    const actor = actorOf(body);
    const account = await kit.deps.stores.directory.getBySlackUser(actor.teamId, actor.userId);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: basicInfoModal(parsed.flowId, section, currentValues(account)),
    });
  });
}
