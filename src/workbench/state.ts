import type { OutboxEntry } from '../ports/outbox.js';
import type { OutgoingMail } from '../ports/mailer.js';
import type { OutgoingSms } from '../ports/sms-sender.js';
import type { FlowWatch, WatchedFlow } from './flow-watch.js';
import {
  REVIEWERS,
  SUPPORT_AGENTS,
  WORKBENCH_CHANNELS,
  WORKBENCH_PEOPLE,
  WORKBENCH_TEAM_ID,
  type WorkbenchChannel,
  type WorkbenchPerson,
} from './people.js';
import type { EmulatedMessage, SlackEmulator } from './slack-emulator.js';
import { slackOwner } from '../domain/flow-owner.js';

export interface Outboxes {
  mail?: { list(): OutboxEntry<OutgoingMail & { messageId: string }>[] };
  sms?: { list(): OutboxEntry<OutgoingSms>[] };
}

interface InboxItem {
  kind: 'mail' | 'sms';
  id: string;
  at: number;
  to: string;
  subject: string;
  text: string;
  hasHtml: boolean;
}

/** Everything the page shows for one person, as it stands now. */
export interface PersonState {
  person: string;
  people: readonly WorkbenchPerson[];
  botUserId: string;
  dm: { channel: string; messages: EmulatedMessage[] };
  channels: { channel: WorkbenchChannel; messages: EmulatedMessage[] }[];
  home: unknown[] | null;
  modal: { id: string; view: Record<string, unknown> } | null;
  inbox: InboxItem[];
  flow: { active: WatchedFlow | null; finished: WatchedFlow[] };
}

/** Which channels a person is in: everyone in general, agents in support and audit, reviewers in review. */
export function channelsOf(userId: string): WorkbenchChannel[] {
  const agent = SUPPORT_AGENTS.includes(userId);
  const reviewer = REVIEWERS.includes(userId);
  return [
    WORKBENCH_CHANNELS.general,
    ...(agent ? [WORKBENCH_CHANNELS.support] : []),
    ...(reviewer ? [WORKBENCH_CHANNELS.review] : []),
    ...(agent || reviewer ? [WORKBENCH_CHANNELS.audit] : []),
  ];
}

export function personState(
  emulator: SlackEmulator,
  watch: FlowWatch,
  outboxes: Outboxes,
  userId: string,
): PersonState {
  const dmChannel = emulator.dmChannelOf(userId);
  const modal = emulator.modalStack(userId).at(-1);
  const owner = slackOwner({ teamId: WORKBENCH_TEAM_ID, userId });
  return {
    person: userId,
    people: WORKBENCH_PEOPLE,
    botUserId: emulator.identity.botUserId,
    dm: { channel: dmChannel, messages: emulator.messagesIn(dmChannel, userId) },
    channels: channelsOf(userId).map((channel) => ({
      channel,
      messages: emulator.messagesIn(channel.id, userId),
    })),
    home: (emulator.home(userId)?.view.blocks as unknown[] | undefined) ?? null,
    modal: modal ? { id: modal.id, view: modal.view } : null,
    inbox: inbox(outboxes),
    flow: { active: watch.activeOf(owner), finished: watch.finishedOf(owner) },
  };
}

/** Every mail and text, newest first. */
function inbox(outboxes: Outboxes): InboxItem[] {
  const mail: InboxItem[] = (outboxes.mail?.list() ?? []).map((entry) => ({
    kind: 'mail',
    id: mailId(entry.message.messageId),
    at: entry.at,
    to: entry.message.to,
    subject: entry.message.subject,
    text: entry.message.text,
    hasHtml: entry.message.html !== '',
  }));
  const sms: InboxItem[] = (outboxes.sms?.list() ?? []).map((entry) => ({
    kind: 'sms',
    id: entry.message.id,
    at: entry.at,
    to: entry.message.to,
    subject: '',
    text: entry.message.text,
    hasHtml: false,
  }));
  return [...mail, ...sms].sort((a, b) => b.at - a.at);
}

/** A mail's message id without its angle brackets, safe in a path. */
export function mailId(messageId: string): string {
  return messageId.replace(/[<>]/g, '');
}
