import { DEMO_SLACK_TEAM } from '../services/demo-accounts.js';

/** A workspace member the workbench lets you act as. */
export interface WorkbenchPerson {
  id: string;
  name: string;
  /** What makes this person interesting to try. */
  role: string;
  email: string | null;
  /** Multi-channel guest: the app refuses them. */
  guest?: boolean;
  /** Linked to the demo account with this login email before the page opens (others link with a code). */
  linkedTo?: string;
}

export interface WorkbenchChannel {
  id: string;
  name: string;
}

export const WORKBENCH_TEAM_ID = DEMO_SLACK_TEAM;

/**
 * The demo people: employees whose Slack email is the login email of a demo account (each in
 * a different state), one linked without an email, a support agent, a reviewer, a guest and
 * a member whose email matches no account.
 */
export const WORKBENCH_PEOPLE: readonly WorkbenchPerson[] = [
  {
    id: 'U0ALICE',
    name: 'Alice Chen',
    role: 'everything set, identity verified',
    email: 'alice@example.com',
    linkedTo: 'alice@example.com',
  },
  { id: 'U0BOB', name: 'Bob Martin', role: 'no security mobile, not linked yet', email: 'bob@example.com' },
  {
    id: 'U0CARMEN',
    name: 'Carmen Ruiz',
    role: 'identity waiting for review',
    email: 'carmen@example.com',
    linkedTo: 'carmen@example.com',
  },
  { id: 'U0DEV', name: 'Dev Patel', role: 'no login email, linked by id', email: null },
  { id: 'U0AGENT', name: 'Sam Support', role: 'support agent', email: 'sam.support@example.com' },
  { id: 'U0REVIEW', name: 'Riley Review', role: 'identity reviewer', email: 'riley.review@example.com' },
  { id: 'U0GUEST', name: 'Gus Guest', role: 'guest (refused)', email: 'gus.guest@example.com', guest: true },
  { id: 'U0NOBODY', name: 'Nia Nobody', role: 'email matches no account', email: 'nia@example.org' },
];

export const SUPPORT_AGENTS = ['U0AGENT'];
export const REVIEWERS = ['U0REVIEW'];

export const WORKBENCH_CHANNELS = {
  general: { id: 'C0GENERAL', name: 'general' },
  support: { id: 'C0SUPPORT', name: 'support' },
  review: { id: 'C0REVIEW', name: 'identity-review' },
  audit: { id: 'C0AUDIT', name: 'audit' },
} as const satisfies Record<string, WorkbenchChannel>;

export const WORKBENCH_BOT = { userId: 'U0ASSIST', botId: 'B0ASSIST', name: 'Account Assistant' };

/** `@Alice` or `@U0ALICE` as Slack's composer turns a picked mention into `<@U0ALICE>`. */
export function withMentions(text: string): string {
  return text.replace(/(^|\s)@([A-Za-z0-9]+)\b/g, (whole, lead: string, name: string) => {
    const wanted = name.toLowerCase();
    const person = WORKBENCH_PEOPLE.find(
      (candidate) =>
        candidate.id.toLowerCase() === wanted || candidate.name.split(' ')[0]?.toLowerCase() === wanted,
    );
    return person ? `${lead}<@${person.id}>` : whole;
  });
}
