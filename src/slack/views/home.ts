import { slack } from '../../messages/slack.js';
import type { AccountSummary } from '../account-summary.js';
import { START_FLOW_PREFIX } from '../action-ids.js';
import {
  actions,
  button,
  context,
  escapeMrkdwn,
  header,
  section,
  type HomeView,
  type KnownBlock,
} from './blocks.js';
import { unlockAccountEntry } from '../flows/unlock-account.js';
import { startButtons } from './menu.js';

export interface HomeModel {
  /** Null while the Slack user is not linked to an account. */
  account: AccountSummary | null;
  /** Newest first, already worded for people. */
  latest: { at: string; text: string }[];
}

function fieldsBlock(rows: { label: string; value: string }[]): KnownBlock {
  return {
    type: 'section',
    fields: rows.map((row) => ({
      type: 'mrkdwn' as const,
      text: `*${row.label}*\n${escapeMrkdwn(row.value)}`,
    })),
  };
}

/** The Account Information page (SPEC §5): basic info, security, verification, flows, latest. */
export function homeView(model: HomeModel): HomeView {
  const blocks: KnownBlock[] = [header(slack.home.title)];
  if (model.account === null) {
    blocks.push(
      section(slack.home.notLinked),
      actions('home_link', [
        button(slack.buttons.linkAccount, `${START_FLOW_PREFIX}linkSlackUser`, {
          value: 'linkSlackUser',
          style: 'primary',
        }),
      ]),
    );
    return { type: 'home', blocks };
  }
  const { basic, address, security, verification, inconsistent, directoryLocked } = model.account;
  blocks.push(
    section(`*${slack.home.basicInfo}*`),
    // Slack shows at most 10 fields per section.
    fieldsBlock(basic.slice(0, 10)),
    // Seven parts on one line are too long for a field column.
    section(`*${address.label}*\n${escapeMrkdwn(address.value)}`),
    { type: 'divider' },
    section(`*${slack.home.security}*`),
    fieldsBlock(security),
  );
  if (directoryLocked) blocks.push(unlockAccountEntry());
  if (inconsistent) blocks.push(context(slack.home.consistencyHint));
  blocks.push(
    { type: 'divider' },
    section(
      `*${slack.home.verification}*\n${verification.label}${verification.reason ? `: ${escapeMrkdwn(verification.reason)}` : ''}`,
    ),
    { type: 'divider' },
    section(`*${slack.home.actions}*`),
    actions('home_flows', startButtons()),
    { type: 'divider' },
    section(`*${slack.home.latest}*`),
  );
  if (model.latest.length === 0) blocks.push(context(slack.home.noMessages));
  for (const entry of model.latest.slice(0, 10))
    blocks.push(context(`${escapeMrkdwn(entry.at)} · ${escapeMrkdwn(entry.text)}`));
  return { type: 'home', blocks };
}
