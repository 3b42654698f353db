import { createHmac, randomBytes } from 'node:crypto';
import type { EmulatedView, SlackEmulator } from './slack-emulator.js';

type Json = Record<string, unknown>;

/** Where a clicked element sits: a message in a conversation, or a modal / Home tab. */
export type ClickTarget =
  { kind: 'message'; channel: string; ts: string } | { kind: 'view'; viewId: string } | { kind: 'home' };

export interface Click {
  target: ClickTarget;
  blockId: string;
  actionId: string;
  /** For a select: the value of the chosen option. */
  selected?: string;
}

/** What a person typed or chose in a modal, by block id and action id. */
export type ModalValues = Record<string, Record<string, string | string[] | null>>;

export type SubmitAnswer = { outcome: 'closed' | 'updated' | 'pushed' } | { outcome: 'errors'; errors: Json };

export class DeliveryError extends Error {}

/**
 * Delivers what a person does in the workbench to the app as Slack would: the same payloads,
 * signed with the signing secret, POSTed to the app's real HTTP receiver. Values of buttons
 * and options are taken from the blocks the app sent, never from the browser.
 */
export class SlackDelivery {
  constructor(
    private readonly emulator: SlackEmulator,
    private readonly signingSecret: string,
    /** The app's events URL, known once the web server listens. */
    private readonly endpoint: () => string,
    /** Resolves once the app finished the work the request started (after its ack). */
    private readonly settle: () => Promise<void>,
  ) {}

  private get teamId(): string {
    return this.emulator.identity.teamId;
  }

  async say(userId: string, text: string): Promise<void> {
    const channel = this.emulator.dmChannelOf(userId);
    const written = this.emulator.addPersonMessage(channel, userId, text);
    await this.event({
      type: 'message',
      channel_type: 'im',
      channel,
      user: userId,
      text,
      ts: written.ts,
      event_ts: written.ts,
      team: this.teamId,
    });
  }

  async mention(userId: string, channel: string, text: string, threadTs?: string): Promise<void> {
    const full = `<@${this.emulator.identity.botUserId}> ${text}`;
    const written = this.emulator.addPersonMessage(channel, userId, full, threadTs);
    await this.event({
      type: 'app_mention',
      channel,
      user: userId,
      text: full,
      ts: written.ts,
      event_ts: written.ts,
      team: this.teamId,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  }

  async openHome(userId: string): Promise<void> {
    await this.event({
      type: 'app_home_opened',
      user: userId,
      channel: this.emulator.dmChannelOf(userId),
      tab: 'home',
      event_ts: `${Date.now() / 1000}`,
    });
  }

  /** A slash command such as `/account help`, run in the DM or a channel. */
  async command(userId: string, channel: string, line: string): Promise<void> {
    const [command = '', ...rest] = line.trim().split(/\s+/);
    const user = this.emulator.user(userId);
    await this.post(
      new URLSearchParams({
        token: 'workbench',
        team_id: this.teamId,
        team_domain: 'workbench',
        channel_id: channel,
        channel_name: channel.startsWith('D') ? 'directmessage' : channel,
        user_id: userId,
        user_name: user?.name ?? userId,
        command,
        text: rest.join(' '),
        api_app_id: 'A0WORKBENCH',
        is_enterprise_install: 'false',
        response_url: this.emulator.responseUrl(channel, userId),
        trigger_id: this.emulator.issueTrigger(userId),
      }).toString(),
      'application/x-www-form-urlencoded',
    );
  }

  async click(userId: string, click: Click): Promise<void> {
    const source = this.clickSource(userId, click.target);
    const found = findElement(source.blocks, click.blockId, click.actionId);
    if (!found) throw new DeliveryError('That control is no longer there.');
    const action: Json = {
      type: found.type,
      action_id: click.actionId,
      block_id: click.blockId,
      action_ts: `${Date.now() / 1000}`,
      ...(found.text !== undefined ? { text: found.text } : {}),
      ...(typeof found.value === 'string' ? { value: found.value } : {}),
      ...(typeof found.url === 'string' ? { url: found.url } : {}),
    };
    if (click.selected !== undefined) {
      const option = optionsOf(found).find((candidate) => candidate.value === click.selected);
      if (!option) throw new DeliveryError('That option is no longer there.');
      action.selected_option = option;
    }
    await this.interaction({
      type: 'block_actions',
      user: this.userRef(userId),
      api_app_id: 'A0WORKBENCH',
      token: 'workbench',
      team: { id: this.teamId, domain: 'workbench' },
      trigger_id: this.emulator.issueTrigger(userId),
      actions: [action],
      ...source.context,
    });
  }

  /** Submits the modal and applies the app's answer as Slack does. */
  async submit(userId: string, viewId: string, values: ModalValues): Promise<SubmitAnswer> {
    const modal = this.ownModal(userId, viewId);
    const answer = await this.interaction({
      type: 'view_submission',
      team: { id: this.teamId, domain: 'workbench' },
      user: this.userRef(userId),
      api_app_id: 'A0WORKBENCH',
      token: 'workbench',
      trigger_id: this.emulator.issueTrigger(userId),
      view: { ...this.viewPayload(modal), state: { values: modalState(modal.view.blocks, values) } },
      response_urls: [],
    });
    const action = answer?.response_action;
    if (action === 'errors') return { outcome: 'errors', errors: (answer?.errors ?? {}) as Json };
    if (action === 'update') {
      this.emulator.replaceModal(viewId, answer?.view as Json);
      return { outcome: 'updated' };
    }
    if (action === 'push') {
      this.emulator.pushModal(userId, answer?.view as Json);
      return { outcome: 'pushed' };
    }
    if (action === 'clear') this.emulator.clearModals(userId);
    else this.emulator.closeModal(viewId);
    return { outcome: 'closed' };
  }

  /** Closes the modal; the app hears of it only when the view asked (`notify_on_close`). */
  async closeModal(userId: string, viewId: string): Promise<void> {
    const modal = this.ownModal(userId, viewId);
    this.emulator.closeModal(viewId);
    if (modal.view.notify_on_close !== true) return;
    await this.interaction({
      type: 'view_closed',
      team: { id: this.teamId, domain: 'workbench' },
      user: this.userRef(userId),
      api_app_id: 'A0WORKBENCH',
      token: 'workbench',
      view: this.viewPayload(modal),
      is_cleared: false,
    });
  }

  private ownModal(userId: string, viewId: string): EmulatedView {
    const modal = this.emulator.modal(viewId);
    if (!modal || modal.userId !== userId) throw new DeliveryError('That window is closed.');
    return modal;
  }

  private clickSource(userId: string, target: ClickTarget): { blocks: unknown; context: Json } {
    if (target.kind === 'message') {
      const message = this.emulator.message(target.channel, target.ts);
      if (!message || (message.ephemeralTo !== undefined && message.ephemeralTo !== userId))
        throw new DeliveryError('That message is gone.');
      return {
        blocks: message.blocks,
        context: {
          container: {
            type: 'message',
            message_ts: message.ts,
            channel_id: message.channel,
            is_ephemeral: message.ephemeralTo !== undefined,
          },
          channel: {
            id: message.channel,
            name: message.channel.startsWith('D') ? 'directmessage' : message.channel,
          },
          message: {
            type: 'message',
            ts: message.ts,
            text: message.text,
            blocks: message.blocks,
            user: message.user,
          },
          response_url: this.emulator.responseUrl(message.channel, userId),
        },
      };
    }
    const view = target.kind === 'home' ? this.emulator.home(userId) : this.ownModal(userId, target.viewId);
    if (!view) throw new DeliveryError('That view is gone.');
    return {
      blocks: view.view.blocks,
      context: { container: { type: 'view', view_id: view.id }, view: this.viewPayload(view) },
    };
  }

  private userRef(userId: string): Json {
    const name = this.emulator.user(userId)?.name ?? userId;
    return { id: userId, username: name, name, team_id: this.teamId };
  }

  private viewPayload(view: EmulatedView): Json {
    return {
      ...view.view,
      id: view.id,
      hash: view.hash,
      team_id: this.teamId,
      app_id: 'A0WORKBENCH',
      bot_id: this.emulator.identity.botId,
      state: { values: {} },
    };
  }

  private async event(event: Json): Promise<void> {
    const eventId = `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
    await this.post(
      JSON.stringify({
        token: 'workbench',
        team_id: this.teamId,
        api_app_id: 'A0WORKBENCH',
        event,
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: this.teamId, user_id: this.emulator.identity.botUserId, is_bot: true }],
      }),
      'application/json',
    );
  }

  private async interaction(payload: Json): Promise<Json | null> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.post(body, 'application/x-www-form-urlencoded');
  }

  /** Posts signed as Slack does and waits for the app's work; returns the ack's JSON, if any. */
  private async post(rawBody: string, contentType: string): Promise<Json | null> {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', this.signingSecret)
      .update(`v0:${timestamp}:${rawBody}`)
      .digest('hex');
    const response = await fetch(this.endpoint(), {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': `v0=${signature}`,
      },
      body: rawBody,
    });
    const text = await response.text();
    await this.settle();
    if (response.status !== 200) throw new DeliveryError(`The app answered HTTP ${response.status}.`);
    return text.startsWith('{') ? (JSON.parse(text) as Json) : null;
  }
}

function asObjects(value: unknown): Json[] {
  return Array.isArray(value)
    ? value.filter((item): item is Json => typeof item === 'object' && item !== null)
    : [];
}

function findElement(blocks: unknown, blockId: string, actionId: string): Json | undefined {
  for (const block of asObjects(blocks)) {
    if (String(block.block_id ?? '') !== blockId) continue;
    const candidates = [...asObjects(block.elements), ...asObjects([block.accessory])];
    const found = candidates.find((element) => element.action_id === actionId);
    if (found) return found;
  }
  return undefined;
}

function optionsOf(element: Json): Json[] {
  return [
    ...asObjects(element.options),
    ...asObjects(element.option_groups).flatMap((group) => asObjects(group.options)),
  ];
}

/** `view.state.values` as Slack builds it: every input present, options as the app defined them. */
function modalState(blocks: unknown, values: ModalValues): Json {
  const state: Json = {};
  for (const block of asObjects(blocks)) {
    if (block.type !== 'input') continue;
    const element = (block.element ?? {}) as Json;
    const blockId = String(block.block_id);
    const actionId = String(element.action_id);
    const given = values[blockId]?.[actionId] ?? null;
    state[blockId] = { [actionId]: elementValue(element, given) };
  }
  return state;
}

function elementValue(element: Json, given: string | string[] | null): Json {
  const type = String(element.type);
  const chosen = (value: string) => optionsOf(element).find((option) => option.value === value) ?? null;
  const single = Array.isArray(given) ? (given[0] ?? null) : given;
  const several = given === null ? [] : Array.isArray(given) ? given : [given];
  switch (type) {
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: single === null || single === '' ? null : chosen(single) };
    case 'checkboxes':
      return { type, selected_options: several.map(chosen).filter((option) => option !== null) };
    case 'datepicker':
      return { type, selected_date: single === '' ? null : single };
    default:
      return { type, value: single === '' ? null : single };
  }
}
