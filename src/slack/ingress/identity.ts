/** Which kind of Slack request a body is, and who sent it, read only from the signed payload. */
export interface PayloadIdentity {
  kind: 'event' | 'command' | 'block_actions' | 'view_submission' | 'view_closed' | 'other';
  teamId: string | null;
  userId: string | null;
  /** What makes this delivery unique, for dedupe; null when Slack gives nothing stable. */
  deliveryKey: string | null;
}

type Json = Record<string, unknown>;

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null ? (value as Json) : {};
}

/**
 * `fingerprint` keys a view submission by what was typed as well: Slack keeps a modal's hash
 * when we answer with field errors, so a corrected submission must not count as a replay.
 */
export function identify(
  body: Json,
  fingerprint: (text: string) => string = (text) => text,
): PayloadIdentity {
  if (body.type === 'event_callback') {
    const event = obj(body.event);
    const eventId = str(body.event_id);
    return {
      kind: 'event',
      teamId: str(body.team_id),
      userId: str(event.user) ?? str(obj(event.user).id),
      deliveryKey: eventId ? `event:${eventId}` : null,
    };
  }
  if (typeof body.command === 'string') {
    // Slack issues a new trigger id for every invocation; a byte-for-byte replay carries the same one.
    const trigger = str(body.trigger_id);
    return {
      kind: 'command',
      teamId: str(body.team_id),
      userId: str(body.user_id),
      deliveryKey: trigger ? `command:${trigger}` : null,
    };
  }
  const user = obj(body.user);
  const teamId = str(obj(body.team).id) ?? str(user.team_id);
  if (body.type === 'block_actions') {
    const action = obj(Array.isArray(body.actions) ? body.actions[0] : undefined);
    const trigger = str(body.trigger_id);
    const actionTs = str(action.action_ts);
    return {
      kind: 'block_actions',
      teamId,
      userId: str(user.id),
      deliveryKey: trigger ? `action:${trigger}:${actionTs ?? ''}` : null,
    };
  }
  if (body.type === 'view_submission') {
    const view = obj(body.view);
    const id = str(view.id);
    return {
      kind: 'view_submission',
      teamId,
      userId: str(user.id),
      deliveryKey: id
        ? `view:${id}:${str(view.hash) ?? ''}:${fingerprint(JSON.stringify(obj(view.state).values ?? {}))}`
        : null,
    };
  }
  if (body.type === 'view_closed')
    return { kind: 'view_closed', teamId, userId: str(user.id), deliveryKey: null };
  return { kind: 'other', teamId, userId: str(user.id), deliveryKey: null };
}
