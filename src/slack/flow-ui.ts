import type { webApi } from '@slack/bolt';
import type { DeliveryClaim, EngineResult, FlowEventWithoutNow, FlowOwner } from '../engine/flow-engine.js';
import { DeliveryWatch } from './delivery-watch.js';
import { isOwnDm } from './own-dm.js';
import { registrationOf, type FlowId } from '../engine/flow-registry.js';
import { common } from '../messages/common.js';
import { flowTimings, type FlowTimings } from '../messages/flows.js';
import { summarizeAccount } from './account-summary.js';
import type { SlackDependencies } from './dependencies.js';
import type { FlowMessageRecord, FlowMessages, MessageLocation } from '../ports/flow-messages.js';
import {
  conflictMessage,
  flowMessage,
  type FlowMessage,
  type FlowMessageInput,
} from './views/flow-message.js';
import type { ViewRenderers } from './views/flow-body.js';
import type { Account } from '../domain/account.js';
import { slackOwner } from '../domain/flow-owner.js';

type WebClient = webApi.WebClient;

/** The person behind a request, from the signed payload only. */
export interface SlackActor {
  teamId: string;
  userId: string;
}

export function ownerOf(actor: SlackActor): FlowOwner {
  return slackOwner(actor);
}

/**
 * Drives flows for Slack: starts them, sends events, and keeps each flow's one DM message
 * up to date. Listeners call this; it talks to the engine and renders with the view builders.
 */
export class FlowUi {
  private readonly timings: FlowTimings;

  constructor(
    private readonly deps: SlackDependencies,
    private readonly messages: FlowMessages,
    private readonly views: ViewRenderers,
  ) {
    this.timings = flowTimings(deps.config);
  }

  /** The account linked to the Slack user; null until they link one (SPEC §3.11). */
  linkedAccount(actor: SlackActor): Promise<Account | null> {
    return this.deps.stores.directory.getBySlackUser(actor.teamId, actor.userId);
  }

  /**
   * Starts `machineId` (or links the Slack user first, SPEC §3.11) and posts its message.
   * `at`: an existing message to turn into the flow's message (the conflict prompt).
   * `account`: the linked account when the caller read it already for this request.
   */
  async start(
    client: WebClient,
    actor: SlackActor,
    machineId: FlowId,
    options: { replaceActive?: boolean; at?: MessageLocation; account?: Account } = {},
  ): Promise<EngineResult> {
    const account = registrationOf(machineId).needsAccount({})
      ? (options.account ?? (await this.linkedAccount(actor)))
      : undefined;
    if (account === null) return this.startLink(client, actor);
    const result = await this.deps.engine.start(
      ownerOf(actor),
      machineId,
      {},
      {
        ...(options.replaceActive ? { replaceActive: true } : {}),
        ...(account ? { account } : {}),
      },
    );
    await this.present(client, actor, machineId, result, await this.ownPlace(client, actor, options.at));
    return result;
  }

  /** First contact: match the Slack profile email to a login email and confirm with a code. */
  async startLink(client: WebClient, actor: SlackActor): Promise<EngineResult> {
    const profile = await client.users.info({ user: actor.userId });
    const email = profile.user?.profile?.email ?? '';
    const result = await this.deps.engine.start(ownerOf(actor), 'linkSlackUser', {
      slackProfileEmail: email,
    });
    await this.present(client, actor, 'linkSlackUser', result);
    return result;
  }

  async send(
    client: WebClient,
    actor: SlackActor,
    flowId: string,
    event: FlowEventWithoutNow,
    at?: MessageLocation,
    claim?: DeliveryClaim,
  ): Promise<EngineResult> {
    const delivery = new DeliveryWatch(claim);
    const answer = this.deps.engine.send(ownerOf(actor), flowId, event, delivery.options);
    return this.shown(client, actor, flowId, at, answer, delivery);
  }

  async cancel(
    client: WebClient,
    actor: SlackActor,
    flowId: string,
    at?: MessageLocation,
    claim?: DeliveryClaim,
  ): Promise<EngineResult> {
    const delivery = new DeliveryWatch(claim);
    const answer = this.deps.engine.cancel(ownerOf(actor), flowId, delivery.options);
    return this.shown(client, actor, flowId, at, answer, delivery);
  }

  /** Re-renders a flow (Resume) at `at`, which becomes the flow's message. */
  async resume(
    client: WebClient,
    actor: SlackActor,
    flowId: string,
    at?: MessageLocation,
  ): Promise<EngineResult> {
    return this.shown(client, actor, flowId, at, this.deps.engine.current(ownerOf(actor), flowId));
  }

  private async shown(
    client: WebClient,
    actor: SlackActor,
    flowId: string,
    at: MessageLocation | undefined,
    answer: Promise<EngineResult>,
    delivery?: DeliveryWatch,
  ): Promise<EngineResult> {
    const remembered = this.remembered(actor, flowId);
    const result = await answer;
    if (delivery?.replayed) {
      this.deps.logger.info({ kind: 'block_actions' }, 'duplicate slack delivery ignored');
      return result;
    }
    if (delivery?.refused) {
      await client.chat
        .postMessage({ channel: actor.userId, text: common.temporarilyUnavailable })
        .catch(() => undefined);
      return result;
    }
    await this.show(
      client,
      actor,
      flowId,
      result,
      await this.ownPlace(client, actor, at, remembered),
      remembered,
    );
    return result;
  }

  /**
   * The message a click sits on, when it may show this person's answer: the one remembered
   * for their flow, or any in their own DM (the "one flow at a time" prompt, an older message
   * of the flow). The payload names it, and a signed payload can still name another person's
   * message; that one is left as it is and the answer goes to the person's own DM.
   */
  private async ownPlace(
    client: WebClient,
    actor: SlackActor,
    at: MessageLocation | undefined,
    remembered?: Promise<FlowMessageRecord | null>,
  ): Promise<MessageLocation | undefined> {
    if (at === undefined) return undefined;
    const known = await remembered?.catch(() => null);
    if (known?.channel === at.channel && known.ts === at.ts) return at;
    if (await isOwnDm(client, actor.userId, at.channel)) return at;
    this.deps.logger.warn("a click named a message outside the person's DM; answered in their DM");
    return undefined;
  }

  /**
   * Where the flow's message is, read when called: called beside the engine's own reads, it
   * rides in the same round trip. Awaited wherever it is needed; a failure there is the
   * answer's failure.
   */
  remembered(actor: SlackActor, flowId: string): Promise<FlowMessageRecord | null> {
    const record = this.messages.find(actor.teamId, actor.userId, flowId);
    record.catch(() => undefined);
    return record;
  }

  /** Renders an engine answer for a known flow on its message. */
  async show(
    client: WebClient,
    actor: SlackActor,
    flowId: string,
    result: EngineResult,
    at?: MessageLocation,
    remembered: Promise<FlowMessageRecord | null> = this.messages.find(actor.teamId, actor.userId, flowId),
  ): Promise<void> {
    const machineId =
      'machineId' in result ? result.machineId : await this.machineOf(actor, flowId, remembered);
    await this.present(client, actor, machineId, result, at, { flowId, remembered });
  }

  /**
   * "This wasn't me" ended the person's open flow: its message says so under its own title
   * instead of offering buttons that can only fail.
   */
  async showLocked(client: WebClient, actor: SlackActor, flow: { flowId: string; machineId: string }) {
    const location = await this.messages.find(actor.teamId, actor.userId, flow.flowId);
    if (location === null) return;
    const rendered = this.render({ machineId: flow.machineId, result: { status: 'locked' } });
    await this.post(client, actor, rendered, location);
  }

  /** The flow a message was last rendered for, else the owner's open flow if it is this one. */
  private async machineOf(
    actor: SlackActor,
    flowId: string,
    record: Promise<FlowMessageRecord | null>,
  ): Promise<string> {
    const remembered = await record.catch(() => null);
    if (remembered?.machineId) return remembered.machineId;
    const active = await this.deps.engine.active(ownerOf(actor)).catch(() => null);
    return active?.flowId === flowId ? active.machineId : '';
  }

  private async present(
    client: WebClient,
    actor: SlackActor,
    machineId: string,
    answer: EngineResult,
    at?: MessageLocation,
    known?: { flowId: string; remembered: Promise<FlowMessageRecord | null> },
  ): Promise<void> {
    const owner = ownerOf(actor);
    const knownFlowId = known?.flowId;
    const result = await this.whatIsTrue(actor, answer, known);
    if (result === null) return;
    if (result.status === 'conflict') {
      await this.post(
        client,
        actor,
        conflictMessage(machineId, result.activeFlowId, result.activeMachineId),
        at,
      );
      return;
    }
    if (result.status === 'unavailable') {
      await this.post(client, actor, this.render({ machineId, result }), at);
      return;
    }
    if (result.status === 'locked') {
      const location = at ?? (known ? await known.remembered : null);
      await this.post(client, actor, this.render({ machineId, result }), location ?? undefined);
      return;
    }
    const flowId = result.flowId ?? knownFlowId;
    const passwordUrl =
      result.status === 'active' && result.view?.meta.view === 'openPasswordPage'
        ? this.deps.engine.passwordLinkUrl(owner, flowId)
        : null;
    const account =
      result.status === 'active' && result.view?.meta.view === 'accountOverview'
        ? await this.deps.stores.directory.getBySlackUser(actor.teamId, actor.userId)
        : null;
    const rendered = this.render({
      machineId,
      result,
      passwordUrl,
      account: account === null ? null : summarizeAccount(account),
    });
    const before = await this.shownBefore(actor, flowId, at, known);
    const posted = await this.post(client, actor, rendered, at ?? before ?? undefined);
    if (!posted) return;
    const record: FlowMessageRecord = {
      channel: posted.channel,
      ts: posted.ts,
      ...(machineId ? { machineId } : {}),
      ...(result.status === 'active' ? {} : { ended: true }),
    };
    if (!sameRecord(storedNow(before, result), record)) {
      await this.messages.remember(actor.teamId, actor.userId, flowId, record);
    }
  }

  /**
   * The flow's message as remembered: read already beside the engine, else now. Answering
   * at a given message needs it only to spare an unchanged write (undefined: not known).
   */
  private async shownBefore(
    actor: SlackActor,
    flowId: string,
    at: MessageLocation | undefined,
    known: { flowId: string; remembered: Promise<FlowMessageRecord | null> } | undefined,
  ): Promise<FlowMessageRecord | null | undefined> {
    const remembered = known?.flowId === flowId ? known.remembered : undefined;
    if (at === undefined) return remembered ?? this.messages.find(actor.teamId, actor.userId, flowId);
    return remembered?.catch(() => undefined);
  }

  /**
   * The answer to render, or null to leave the message as it is. A duplicate (double click,
   * parallel submissions) changes nothing the person sees: the message shows the flow's
   * current step, and once the flow ended the request that ended it shows the outcome. A
   * flow that is gone because self-service was locked says so rather than "start again".
   */
  private async whatIsTrue(
    actor: SlackActor,
    answer: EngineResult,
    known: { remembered: Promise<FlowMessageRecord | null> } | undefined,
  ): Promise<EngineResult | null> {
    if (answer.status !== 'already-handled' && answer.status !== 'missing') return answer;
    const shown = known ? await known.remembered : null;
    if (shown?.ended) return null;
    if (answer.status === 'already-handled') {
      const current = await this.deps.engine.current(ownerOf(actor), answer.flowId);
      return current.status === 'active' ? current : null;
    }
    return (await this.isLocked(actor)) ? { status: 'locked' } : answer;
  }

  private async isLocked(actor: SlackActor): Promise<boolean> {
    const account = await this.deps.stores.directory
      .getBySlackUser(actor.teamId, actor.userId)
      .catch(() => null);
    return account?.selfServiceLocked === true;
  }

  private render(input: Omit<FlowMessageInput, 'now' | 'timings' | 'views'>): FlowMessage {
    return flowMessage({ ...input, now: this.deps.clock.now(), timings: this.timings, views: this.views });
  }

  /** Updates the message at `at`, or posts a new DM when there is none (or it is gone). */
  async post(
    client: WebClient,
    actor: SlackActor,
    message: FlowMessage,
    at?: MessageLocation,
  ): Promise<MessageLocation | null> {
    if (at) {
      try {
        await client.chat.update({
          channel: at.channel,
          ts: at.ts,
          text: message.text,
          blocks: message.blocks,
        });
        return at;
      } catch (error) {
        this.deps.logger.warn(
          { err: slackError(error) },
          'flow message could not be updated; posting a new one',
        );
      }
    }
    const posted = await client.chat.postMessage({
      channel: actor.userId,
      text: message.text,
      blocks: message.blocks,
    });
    return posted.channel && posted.ts ? { channel: posted.channel, ts: posted.ts } : null;
  }
}

/** A Web API error's code, never its request (which may hold a typed value). */
export function slackError(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data;
  if (data && typeof data.error === 'string') return data.error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown';
}

/** What the store holds once the answer's own writes are done: a recorded finish marked the message ended. */
function storedNow(
  before: FlowMessageRecord | null | undefined,
  result: EngineResult,
): FlowMessageRecord | null | undefined {
  const recorded = result.status === 'finished' && result.recorded === true;
  return recorded && before?.followsFlow ? { ...before, ended: true } : before;
}

function sameRecord(a: FlowMessageRecord | null | undefined, b: FlowMessageRecord): boolean {
  return (
    a !== null &&
    a !== undefined &&
    a.channel === b.channel &&
    a.ts === b.ts &&
    a.machineId === b.machineId &&
    (a.ended ?? false) === (b.ended ?? false)
  );
}
