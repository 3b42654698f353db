import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  BlockButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewClosedAction,
  ViewSubmitAction,
} from '@slack/bolt';
import type { Logger } from '../../core/logger.js';
import { deliveryClaimOf } from '../ingress/gate.js';
import type { FlowButton, FlowModal, SlackSurface } from './flow-surface.js';
import type { SlackKit } from './kit.js';

/**
 * Every button and modal of the app by id, built from the surfaces (each flow's file and the
 * generic controls). An id claimed twice is a programming error and stops start-up.
 */
export class SurfaceTable {
  private readonly buttons = new Map<string, FlowButton>();
  private readonly patterns: FlowButton[] = [];
  private readonly modals = new Map<string, FlowModal>();

  constructor(surfaces: readonly SlackSurface[]) {
    for (const surface of surfaces) {
      for (const button of surface.buttons) {
        if (button.actionId instanceof RegExp) this.patterns.push(button);
        else this.claim(this.buttons, button.actionId, button);
      }
      for (const modal of surface.modals) this.claim(this.modals, modal.callbackId, modal);
    }
  }

  button(actionId: string): FlowButton | undefined {
    return (
      this.buttons.get(actionId) ?? this.patterns.find((button) => (button.actionId as RegExp).test(actionId))
    );
  }

  /** Whether the button or modal a request names claims its delivery itself (claimsDelivery). */
  claimedByListener(body: Record<string, unknown>): boolean {
    if (body.type === 'view_submission') {
      const callbackId = (body.view as { callback_id?: unknown } | undefined)?.callback_id;
      return typeof callbackId === 'string' && this.modal(callbackId)?.claimsDelivery === true;
    }
    if (body.type !== 'block_actions' || !Array.isArray(body.actions) || body.actions.length !== 1)
      return false;
    const action = body.actions[0] as { type?: unknown; action_id?: unknown } | undefined;
    if (action?.type !== 'button' || typeof action.action_id !== 'string') return false;
    return this.button(action.action_id)?.claimsDelivery === true;
  }

  modal(callbackId: string): FlowModal | undefined {
    return this.modals.get(callbackId);
  }

  private claim<T>(into: Map<string, T>, id: string, value: T): void {
    if (into.has(id)) throw new Error(`slack id ${id} is claimed by two surfaces`);
    into.set(id, value);
  }
}

/**
 * Button clicks and modal submissions, the hot path, are answered by one middleware after the
 * ingress gate instead of Bolt listeners: Bolt runs every listener's matchers on every
 * request, and with one listener per payload kind a click paid for seven that cannot match
 * (~50 µs of Bolt CPU per click). Closed views and option loads are rare and stay listeners.
 * Whatever nobody handles is acked (Slack would otherwise show an error after 3 s) and
 * logged once, by id only.
 */
export function registerDispatch(app: App, kit: SlackKit, table: SurfaceTable): void {
  const { logger } = kit.deps;
  app.use(async (args) => {
    // Bolt sets `action` and `view` only on the payload kinds it would route to such listeners.
    if ('action' in args && args.body.type === 'block_actions') {
      await click(kit, table, args as unknown as SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs);
      return;
    }
    if ('view' in args && args.body.type === 'view_submission') {
      await submit(
        kit,
        table,
        args as unknown as SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs,
      );
      return;
    }
    await args.next();
  });

  // The app's modals do not ask for notify_on_close; one that arrives anyway is acked.
  app.view<ViewClosedAction>({ type: 'view_closed' }, async ({ ack, view }) => {
    await ack();
    unknown(logger, 'view_closed', view.callback_id);
  });

  // No menu of the app loads options from it; an empty list keeps Slack's client from waiting.
  app.options(/.*/, async ({ ack, payload }) => {
    await ack({ options: [] });
    unknown(logger, 'options', 'action_id' in payload ? String(payload.action_id) : '');
  });
}

async function click(
  kit: SlackKit,
  table: SurfaceTable,
  { ack, body, action, client, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const button = action.type === 'button' ? table.button(action.action_id) : undefined;
  if (!button) {
    unknown(kit.deps.logger, 'action', action.action_id);
    return;
  }
  // Every element the app renders outside modal inputs is a button.
  await button.handle(kit, {
    body: body as BlockButtonAction,
    action: action as BlockButtonAction['actions'][0],
    client,
    claim: deliveryClaimOf(context),
  });
}

async function submit(
  kit: SlackKit,
  table: SurfaceTable,
  { ack, body, view, client, context }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs,
): Promise<void> {
  const modal = table.modal(view.callback_id);
  if (!modal) {
    await ack();
    unknown(kit.deps.logger, 'view_submission', view.callback_id);
    return;
  }
  await modal.handle(kit, { ack, body, view, client, claim: deliveryClaimOf(context) });
}

/** The sender chooses the id: logged only when it looks like one of ours, never as free text. */
function unknown(logger: Logger, kind: string, id: string): void {
  const shown = /^[\w:.-]{1,64}$/.test(id) ? id : '(not an id)';
  logger.warn({ kind, id: shown }, 'slack request for nothing the app handles; acked');
}
