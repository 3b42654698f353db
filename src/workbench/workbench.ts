import { randomBytes } from 'node:crypto';
import type { Router } from 'express';
import type { SlackConfig } from '../config/config.js';
import { DEFAULT_SLACK_API_TIMEOUT_MS } from '../config/schema.js';
import type { FlowEngine } from '../engine/flow-engine.js';
import type { AccountDirectory } from '../ports/account-directory.js';
import type { FlowSessionStore } from '../ports/flow-session-store.js';
import type { ReviewChannel } from '../ports/review-channel.js';
import type { ReviewCards } from '../ports/review-cards.js';
import { FlowWatch } from './flow-watch.js';
import { liveReviewCards } from './live-review-cards.js';
import { fileDemoReviews } from './pending-reviews.js';
import {
  REVIEWERS,
  SUPPORT_AGENTS,
  WORKBENCH_BOT,
  WORKBENCH_CHANNELS,
  WORKBENCH_PEOPLE,
  WORKBENCH_TEAM_ID,
} from './people.js';
import { workbenchRoutes } from './routes.js';
import { SlackDelivery } from './slack-delivery.js';
import { SlackEmulator } from './slack-emulator.js';
import type { Outboxes } from './state.js';

export interface Workbench {
  emulator: SlackEmulator;
  /** Wraps the flow session store so the page can draw each flow live. */
  watch: FlowWatch;
  /** The Slack settings the app runs with: the emulator's URL, fresh secrets, the demo roles. */
  slack: SlackConfig;
  /** Links the people who start linked to their demo accounts (after the demo seed). */
  linkPeople(directory: AccountDirectory): Promise<void>;
  /** Review cards as this run's emulator holds them (a kept Redis remembers an earlier run's). */
  reviewCards(cards: ReviewCards): ReviewCards;
  /** Files the demo identity submissions, or shows the waiting ones, once the review channel exists. */
  fileReviews(engine: FlowEngine, directory: AccountDirectory, reviewChannel: ReviewChannel): Promise<void>;
  /** Wires the page to the app once both exist. */
  connect(parts: { outboxes: Outboxes; settle: () => Promise<void> }): Router;
  /** The app's events URL once the web server listens (`http://host:port`). */
  listening(origin: string): void;
  close(): Promise<void>;
}

/**
 * The local workbench: a Slack Web API emulator the real Bolt app talks to, and the page that
 * shows it. Started by the composition root when no Slack credentials are set in development;
 * nothing in listeners, views or the engine knows it is there.
 */
export async function startWorkbench(flowSessions: FlowSessionStore): Promise<Workbench> {
  const botToken = `xoxb-workbench-${randomBytes(12).toString('hex')}`;
  const signingSecret = randomBytes(32).toString('hex');
  const emulator = await SlackEmulator.start({
    teamId: WORKBENCH_TEAM_ID,
    botToken,
    botUserId: WORKBENCH_BOT.userId,
    botId: WORKBENCH_BOT.botId,
  });
  for (const person of WORKBENCH_PEOPLE) {
    emulator.addUser({
      id: person.id,
      teamId: WORKBENCH_TEAM_ID,
      name: person.name,
      email: person.email,
      ...(person.guest ? { isRestricted: true } : {}),
    });
  }
  const watch = new FlowWatch(flowSessions);
  let eventsUrl = '';
  const slack: SlackConfig = {
    mode: 'http',
    botToken,
    appToken: null,
    signingSecret,
    apiUrl: emulator.apiUrl,
    teamId: WORKBENCH_TEAM_ID,
    apiTimeoutMs: DEFAULT_SLACK_API_TIMEOUT_MS,
    supportUserIds: SUPPORT_AGENTS,
    supportUsergroupId: null,
    reviewerUserIds: REVIEWERS,
    reviewerUsergroupId: null,
    supportChannelId: WORKBENCH_CHANNELS.support.id,
    reviewChannelId: WORKBENCH_CHANNELS.review.id,
    auditChannelId: WORKBENCH_CHANNELS.audit.id,
  };
  return {
    emulator,
    watch,
    slack,
    linkPeople: async (directory) => {
      for (const person of WORKBENCH_PEOPLE) {
        const account = person.linkedTo ? await directory.getByLoginEmail(person.linkedTo) : null;
        if (account) await directory.linkSlackUser(account.accountId, WORKBENCH_TEAM_ID, person.id);
      }
    },
    reviewCards: (cards) => liveReviewCards(cards, emulator),
    fileReviews: fileDemoReviews,
    connect: ({ outboxes, settle }) => {
      const delivery = new SlackDelivery(emulator, signingSecret, () => eventsUrl, settle);
      return workbenchRoutes({ emulator, delivery, watch, outboxes });
    },
    listening: (origin) => {
      eventsUrl = `${origin}/slack/events`;
    },
    close: () => emulator.close(),
  };
}
