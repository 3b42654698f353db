import { randomBytes } from 'node:crypto';
import { findButton, findInput, findOption, inputs } from './blocks.js';
import type { FakeMessage, FakeSlack, FakeUser, FakeView } from './fake-slack.js';
import type { SignOptions, SlackResponse, SlackSigner } from './signer.js';

/**
 * A workspace of people who use the app only as they would in Slack: they type in the DM,
 * run `/account`, open the Home tab, click buttons by their text and fill modals by their
 * labels. Every request is signed and goes through the app's real HTTP endpoint.
 */
export class SlackWorkspace {
  constructor(
    readonly fake: FakeSlack,
    readonly signer: SlackSigner,
    /** Resolves once the app finished the work a request started (after its ack). */
    readonly settle: () => Promise<void>,
  ) {}

  get teamId(): string {
    return this.fake.teamId;
  }

  /** A member of this workspace (or of another one with `teamId`). */
  person(user: Partial<FakeUser> & { id: string; email?: string | null }): SlackPerson {
    const member = this.fake.addUser({ name: user.id.toLowerCase(), email: null, ...user });
    return new SlackPerson(this, member);
  }

  eventEnvelope(
    event: Record<string, unknown>,
    teamId = this.teamId,
    eventId = newEventId(),
  ): Record<string, unknown> {
    return {
      token: 'legacy-verification-token',
      team_id: teamId,
      api_app_id: 'A0TEST',
      event,
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: teamId, user_id: this.fake.botUserId, is_bot: true }],
    };
  }
}

export function newEventId(): string {
  return `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
}

export class SlackPerson {
  constructor(
    readonly workspace: SlackWorkspace,
    readonly user: FakeUser,
  ) {}

  get id(): string {
    return this.user.id;
  }

  get dmChannel(): string {
    return this.workspace.fake.dmChannelOf(this.user.id);
  }

  private get fake(): FakeSlack {
    return this.workspace.fake;
  }

  /** Sends an event from this person and waits for the app to finish with it. */
  async event(
    event: Record<string, unknown>,
    options: SignOptions & { eventId?: string } = {},
  ): Promise<SlackResponse> {
    const envelope = this.workspace.eventEnvelope(event, this.user.teamId, options.eventId);
    const response = await this.workspace.signer.event(envelope, options);
    await this.workspace.settle();
    return response;
  }

  /** Writes in the DM with the app. */
  async say(text: string, options: SignOptions & { eventId?: string } = {}): Promise<SlackResponse> {
    const ts = `${Math.floor(Date.now() / 1000)}.${randomBytes(3).readUIntBE(0, 3)}`;
    return this.event(
      {
        type: 'message',
        channel_type: 'im',
        channel: this.dmChannel,
        user: this.user.id,
        text,
        ts,
        event_ts: ts,
        team: this.user.teamId,
      },
      options,
    );
  }

  async openHome(): Promise<SlackResponse> {
    return this.event({
      type: 'app_home_opened',
      user: this.user.id,
      channel: this.dmChannel,
      tab: 'home',
      event_ts: `${Date.now() / 1000}`,
    });
  }

  /** Mentions the app in a channel. */
  async mention(channel: string, text: string): Promise<SlackResponse> {
    const ts = `${Math.floor(Date.now() / 1000)}.${randomBytes(3).readUIntBE(0, 3)}`;
    return this.event({
      type: 'app_mention',
      channel,
      user: this.user.id,
      text: `<@${this.fake.botUserId}> ${text}`,
      ts,
      event_ts: ts,
      team: this.user.teamId,
    });
  }

  /** Runs a slash command (by default `/account`) in the DM or the given channel. */
  async command(
    text: string,
    options: SignOptions & { command?: string; channel?: string } = {},
  ): Promise<SlackResponse> {
    const response = await this.workspace.signer.command(
      {
        token: 'legacy-verification-token',
        team_id: this.user.teamId,
        team_domain: 'test',
        channel_id: options.channel ?? this.dmChannel,
        channel_name: options.channel ? 'general' : 'directmessage',
        user_id: this.user.id,
        user_name: this.user.name,
        command: options.command ?? '/account',
        text,
        api_app_id: 'A0TEST',
        is_enterprise_install: 'false',
        response_url: this.fake.responseUrl(options.channel ?? this.dmChannel, this.user.id),
        trigger_id: this.fake.issueTrigger(this.user.id),
      },
      options,
    );
    await this.workspace.settle();
    return response;
  }

  /** The latest message in the DM (as it stands now). */
  latestDm(): FakeMessage {
    const message = this.fake.dmMessages(this.user.id).at(-1);
    if (!message) throw new Error(`${this.user.id} has no DM from the app`);
    return message;
  }

  dmMessages(): FakeMessage[] {
    return this.fake.dmMessages(this.user.id);
  }

  modal(): FakeView {
    const view = this.fake.openModal(this.user.id);
    if (!view) throw new Error(`${this.user.id} has no open modal`);
    return view;
  }

  hasModal(): boolean {
    return this.fake.openModal(this.user.id) !== undefined;
  }

  home(): FakeView {
    const view = this.fake.home(this.user.id);
    if (!view) throw new Error(`${this.user.id} has no Home tab published`);
    return view;
  }

  /**
   * Clicks the button with this text: in the given message or view, else in the open modal,
   * else in the latest DM message.
   */
  async click(
    text: string,
    where?: FakeMessage | FakeView,
    options: SignOptions & { triggerId?: string } = {},
  ): Promise<SlackResponse> {
    const target = where ?? this.fake.openModal(this.user.id) ?? this.latestDm();
    const blocks = 'view' in target ? target.view.blocks : target.blocks;
    const button = findButton(blocks, text);
    const action = {
      type: 'button',
      action_id: button.actionId,
      block_id: button.blockId,
      text: { type: 'plain_text', text: button.text },
      ...(button.value !== undefined ? { value: button.value } : {}),
      ...(button.url !== undefined ? { url: button.url } : {}),
      action_ts: `${Date.now() / 1000}`,
    };
    const base = {
      type: 'block_actions',
      user: { id: this.user.id, username: this.user.name, name: this.user.name, team_id: this.user.teamId },
      api_app_id: 'A0TEST',
      token: 'legacy-verification-token',
      team: { id: this.user.teamId, domain: 'test' },
      trigger_id: options.triggerId ?? this.fake.issueTrigger(this.user.id),
      actions: [action],
    };
    const payload =
      'view' in target
        ? {
            ...base,
            container: { type: 'view', view_id: target.id },
            view: this.viewPayload(target),
          }
        : {
            ...base,
            container: {
              type: 'message',
              message_ts: target.ts,
              channel_id: target.channel,
              is_ephemeral: false,
            },
            channel: { id: target.channel, name: 'directmessage' },
            message: {
              type: 'message',
              ts: target.ts,
              text: target.text,
              blocks: target.blocks,
              user: this.fake.botUserId,
            },
            response_url: this.fake.responseUrl(target.channel, this.user.id),
          };
    const response = await this.workspace.signer.interaction(payload, options);
    await this.workspace.settle();
    return response;
  }

  /**
   * Fills the open modal's inputs by label (a select or radio takes the visible option text)
   * and submits it. Slack's handling of the ack is applied: errors keep the modal, `update`
   * replaces it, `push` stacks one, anything else closes it.
   */
  async submit(values: Record<string, string> = {}, options: SignOptions = {}): Promise<SlackResponse> {
    const modal = this.modal();
    const payload = this.submission(modal, values);
    const response = await this.workspace.signer.interaction(payload, options);
    this.applyAck(modal, response);
    await this.workspace.settle();
    return response;
  }

  /** The view_submission payload Slack would send for these values (for replay tests). */
  submission(modal: FakeView, values: Record<string, string>): Record<string, unknown> {
    const state: Record<string, Record<string, unknown>> = {};
    for (const input of inputs(modal.view.blocks)) {
      state[input.blockId] = { [input.actionId]: emptyValue(input.type) };
    }
    for (const [label, value] of Object.entries(values)) {
      const input = findInput(modal.view.blocks, label);
      state[input.blockId] = {
        [input.actionId]:
          input.type === 'file_input'
            ? {
                type: input.type,
                files: value
                  .split(',')
                  .filter(Boolean)
                  .map((id) => this.fake.fileObject(id)),
              }
            : filledValue(input.type, input.element, value),
      };
    }
    return {
      type: 'view_submission',
      team: { id: this.user.teamId, domain: 'test' },
      user: { id: this.user.id, username: this.user.name, name: this.user.name, team_id: this.user.teamId },
      api_app_id: 'A0TEST',
      token: 'legacy-verification-token',
      trigger_id: this.fake.issueTrigger(this.user.id),
      view: { ...this.viewPayload(modal), state: { values: state } },
      response_urls: [],
    };
  }

  applyAck(modal: FakeView, response: SlackResponse): void {
    const action = response.json?.response_action;
    if (response.status !== 200 || action === 'errors') return;
    if (action === 'update') this.fake.replaceView(modal.id, response.json?.view as Record<string, unknown>);
    else if (action === 'push')
      this.fake.pushView(this.user.id, response.json?.view as Record<string, unknown>);
    else this.fake.closeView(modal.id);
  }

  /** Closes the modal; Slack tells the app only when the view asked (`notify_on_close`). */
  async closeModal(): Promise<SlackResponse | null> {
    const modal = this.modal();
    if (modal.view.notify_on_close !== true) {
      this.fake.closeView(modal.id);
      return null;
    }
    const response = await this.workspace.signer.interaction({
      type: 'view_closed',
      team: { id: this.user.teamId, domain: 'test' },
      user: { id: this.user.id, name: this.user.name, team_id: this.user.teamId },
      api_app_id: 'A0TEST',
      token: 'legacy-verification-token',
      view: this.viewPayload(modal),
      is_cleared: false,
    });
    this.fake.closeView(modal.id);
    await this.workspace.settle();
    return response;
  }

  private viewPayload(view: FakeView): Record<string, unknown> {
    return {
      ...view.view,
      id: view.id,
      hash: view.hash,
      team_id: this.user.teamId,
      app_id: 'A0TEST',
      bot_id: this.fake.botId,
      state: { values: {} },
    };
  }
}

function emptyValue(type: string): Record<string, unknown> {
  if (type === 'static_select' || type === 'radio_buttons') return { type, selected_option: null };
  if (type === 'checkboxes') return { type, selected_options: [] };
  if (type === 'file_input') return { type, files: [] };
  return { type, value: null };
}

function filledValue(type: string, element: Record<string, unknown>, value: string): Record<string, unknown> {
  if (type === 'static_select' || type === 'radio_buttons')
    return { type, selected_option: findOption(element, value) };
  if (type === 'checkboxes') return { type, selected_options: value ? [findOption(element, value)] : [] };
  return { type, value };
}
