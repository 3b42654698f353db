import type { BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { MessageLocation } from '../../ports/flow-messages.js';
import type { SlackActor } from '../flow-ui.js';

/** Who clicked or submitted, from the signed payload only (security.md). */
export function actorOf(body: BlockButtonAction | ViewSubmitAction): SlackActor {
  return { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
}

/** The message a button sits on; none for buttons in a modal or on the Home tab. */
export function locationOf(body: BlockButtonAction): MessageLocation | undefined {
  const container = body.container as { type?: string; channel_id?: string; message_ts?: string };
  return container.type === 'message' && container.channel_id && container.message_ts
    ? { channel: container.channel_id, ts: container.message_ts }
    : undefined;
}
