import type { webApi } from '@slack/bolt';
import type { SlackDependencies } from '../dependencies.js';
import type { FlowUi, SlackActor } from '../flow-ui.js';

/** A support subcommand (`/account lookup|unlock|reset-offer …`), handled by the support module. */
export type SupportCommandHandler = (request: {
  client: webApi.WebClient;
  actor: SlackActor;
  channelId: string;
  subcommand: string;
  args: string;
  /** Answers the person who ran the command, visible to them only. */
  respond: (text: string) => Promise<void>;
}) => Promise<void>;

/** What the conversation listeners share. */
export interface SlackKit {
  deps: SlackDependencies;
  ui: FlowUi;
  supportCommand?: SupportCommandHandler;
}
