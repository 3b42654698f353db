import { z } from 'zod';
import { ModalCallbacks } from '../action-ids.js';
import { BASIC_INFO_MODAL_CALLBACK } from '../flows/edit-basic-info.js';
import { IDENTITY_MODAL_CALLBACK } from '../flows/identity-verification.js';
import { REVIEW_REJECT_CALLBACK_ID } from '../review/action-ids.js';

/**
 * One zod schema per kind of Slack payload, checked before Bolt or a listener reads the
 * body: a signed request that is not what Slack sends is refused at once (400) instead of
 * throwing inside a listener (no ack, 404 after 3 s) or inside Bolt (500). The schemas hold
 * what Bolt and our listeners read; anything else in the body is left alone.
 */

/** Team, user and channel ids: Slack's upper-case letters and digits. */
const slackId = z.string().regex(/^[A-Z0-9]{1,32}$/);
/** The engine mints 16 base64url characters; modals carry nothing else (security.md). */
const flowId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const submissionId = z.string().regex(/^\d{1,16}-[0-9a-f]{16}$/);

const person = z.object({ id: slackId, team_id: slackId.optional() });
/** Null for org-wide installs; the user then carries the team. */
const team = z.object({ id: slackId }).nullable().optional();

const option = z.object({ value: z.string() });
const inputState = z.object({
  type: z.string(),
  value: z.string().nullable().optional(),
  selected_option: option.nullable().optional(),
  selected_options: z.array(option).optional(),
});
const stateValues = z.record(z.string(), z.record(z.string(), inputState));

const viewCommon = {
  id: z.string().min(1),
  hash: z.string().optional(),
  state: z.object({ values: stateValues }),
};
const FLOW_MODALS = [
  ModalCallbacks.code,
  ModalCallbacks.value,
  ModalCallbacks.loginEmail,
  IDENTITY_MODAL_CALLBACK,
  BASIC_INFO_MODAL_CALLBACK,
] as const;
/** The modals the app opens; each says which id its private_metadata holds. */
const submittedView = z.discriminatedUnion('callback_id', [
  z.object({ ...viewCommon, callback_id: z.enum(FLOW_MODALS), private_metadata: flowId }),
  z.object({
    ...viewCommon,
    callback_id: z.literal(REVIEW_REJECT_CALLBACK_ID),
    private_metadata: submissionId,
  }),
]);

const viewSubmission = z.object({
  type: z.literal('view_submission'),
  team,
  user: person,
  trigger_id: z.string().optional(),
  view: submittedView,
});

const viewClosed = z.object({
  type: z.literal('view_closed'),
  team,
  user: person,
  view: z.object({ id: z.string().min(1), callback_id: z.string(), private_metadata: z.string() }),
});

const blockAction = z.object({
  type: z.string(),
  action_id: z.string().min(1),
  block_id: z.string().optional(),
  value: z.string().optional(),
  url: z.string().optional(),
  action_ts: z.string().optional(),
});
const blockActions = z.object({
  type: z.literal('block_actions'),
  team,
  user: person,
  trigger_id: z.string().min(1),
  container: z.object({
    type: z.string(),
    channel_id: z.string().optional(),
    message_ts: z.string().optional(),
    view_id: z.string().optional(),
  }),
  actions: z.array(blockAction).min(1),
  channel: z.object({ id: z.string() }).optional(),
  view: z.object({ id: z.string(), private_metadata: z.string().optional() }).optional(),
});

const command = z.object({
  command: z.string().regex(/^\/[a-z0-9_-]+$/),
  text: z.string(),
  team_id: slackId,
  user_id: slackId,
  channel_id: slackId,
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
});

/** The events the app listens to, by their `type`; others only need a type. */
const EVENTS: Record<string, z.ZodType> = {
  message: z.object({
    channel: z.string(),
    channel_type: z.string().optional(),
    subtype: z.string().optional(),
    user: slackId.optional(),
    text: z.string().optional(),
    ts: z.string().optional(),
  }),
  app_mention: z.object({
    channel: z.string(),
    user: slackId.optional(),
    text: z.string(),
    ts: z.string(),
    thread_ts: z.string().optional(),
  }),
  app_home_opened: z.object({ user: slackId, tab: z.string().optional(), channel: z.string().optional() }),
};
const eventCallback = z.object({
  type: z.literal('event_callback'),
  team_id: slackId,
  event_id: z.string().min(1),
  event: z
    .object({ type: z.string().min(1) })
    .loose()
    .superRefine((event, ctx) => {
      const schema = EVENTS[event.type];
      const parsed = schema?.safeParse(event);
      for (const issue of parsed?.error?.issues ?? []) {
        ctx.addIssue({ code: 'custom', path: issue.path, message: issue.code });
      }
    }),
});

/** Handled by the receiver or meant to be acknowledged and ignored. */
const PASS_THROUGH = new Set(['url_verification', 'ssl_check', 'app_rate_limited']);

export type PayloadKind = 'event' | 'command' | 'block_actions' | 'view_submission' | 'view_closed';

/** A payload refused before any listener ran; carries where it is wrong, never a value from it. */
export class MalformedSlackPayload extends Error {
  constructor(
    readonly kind: PayloadKind | 'unknown',
    readonly problems: string[],
  ) {
    super(`malformed slack ${kind} payload`);
    this.name = 'MalformedSlackPayload';
  }
}

type Json = Record<string, unknown>;

/** The kind Bolt would route the body as, decided in Bolt's own order. */
function kindOf(body: Json): PayloadKind | null {
  if (body.event !== undefined || body.type === 'event_callback') return 'event';
  if (body.command !== undefined) return 'command';
  if (body.actions !== undefined || body.type === 'block_actions') return 'block_actions';
  if (body.type === 'view_submission') return 'view_submission';
  if (body.type === 'view_closed') return 'view_closed';
  return null;
}

const SCHEMAS: Record<PayloadKind, z.ZodType> = {
  event: eventCallback,
  command,
  block_actions: blockActions,
  view_submission: viewSubmission,
  view_closed: viewClosed,
};

/** Null when the body is a payload the app can act on (or one to let through); else why not. */
export function malformedPayload(body: unknown): MalformedSlackPayload | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return new MalformedSlackPayload('unknown', ['body: not an object']);
  const json = body as Json;
  if (typeof json.type === 'string' && PASS_THROUGH.has(json.type) && json.event === undefined) return null;
  const kind = kindOf(json);
  if (kind === null)
    return new MalformedSlackPayload('unknown', ['type: not a payload kind the app handles']);
  const parsed = SCHEMAS[kind].safeParse(json);
  if (parsed.success) return null;
  return new MalformedSlackPayload(
    kind,
    parsed.error.issues.map(
      (issue) => `${loggablePath(issue.path)}: ${issue.code === 'custom' ? issue.message : issue.code}`,
    ),
  );
}

/** Block and action ids under `state.values` are the sender's own words: shown as `*`. */
function loggablePath(path: readonly PropertyKey[]): string {
  const values = path.findIndex((segment, index) => segment === 'values' && path[index - 1] === 'state');
  const shown = path.map((segment, index) =>
    values >= 0 && (index === values + 1 || index === values + 2) ? '*' : String(segment),
  );
  return shown.join('.') || '(root)';
}
