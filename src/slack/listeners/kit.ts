import type { SlackDependencies } from '../dependencies.js';
import type { FlowUi, SlackActor } from '../flow-ui.js';
import type { ReviewDesk } from '../review/decisions.js';
import type { SupportKit } from '../support/support-kit.js';

/** A support subcommand (`/account lookup|unlock|reset-offer …`), handled by the support module. */
export type SupportCommandHandler = (request: {
  actor: SlackActor;
  channelId: string;
  subcommand: string;
  args: string;
  /** Answers the person who ran the command, visible to them only. */
  respond: (text: string) => Promise<void>;
}) => Promise<void>;

/** What the listeners share, built once per Slack app. */
export interface SlackKit {
  deps: SlackDependencies;
  ui: FlowUi;
  /** Support agents' tools; one instance, so its listeners share the agents' user-group cache. */
  support: SupportKit;
  supportCommand: SupportCommandHandler;
  reviewDesk: ReviewDesk;
}
