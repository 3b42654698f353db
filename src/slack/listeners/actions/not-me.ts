import { TemporarilyUnavailableError } from '../../../core/errors.js';
import { common } from '../../../messages/common.js';
import { support } from '../../../messages/support.js';
import type { NotMeResult } from '../../../services/account-protection.js';
import { NOT_ME_ACTION_ID } from '../../action-ids.js';
import { ownerOf } from '../../flow-ui.js';
import { isOwnDm } from '../../own-dm.js';
import { errorText } from '../../support/support-kit.js';
import { textMessage } from '../../views/support.js';
import type { Click, SlackSurface } from '../flow-surface.js';
import type { SlackKit } from '../kit.js';

const ANSWERS: Record<NotMeResult['outcome'], string> = {
  locked: support.notMe.done,
  'already-reported': support.notMe.already,
  'not-linked': support.notMe.notLinked,
};

/**
 * "This wasn't me" on a change notice: protect the account, then tell the person what
 * happened and what comes next, in the notice's thread.
 */
export const notMeSlack: SlackSurface = {
  buttons: [{ actionId: NOT_ME_ACTION_ID, handle: reportNotMe }],
  modals: [],
};

async function reportNotMe(kit: SlackKit, { body, client }: Click): Promise<void> {
  const reporter = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
  const container = body.container as { message_ts?: string; channel_id?: string };
  const notice = container.message_ts ?? body.message?.ts ?? body.trigger_id;
  let answer: string;
  let ended: { flowId: string; machineId: string } | null = null;
  try {
    const open = await kit.deps.engine.active(ownerOf(reporter));
    const result = await kit.support.protection.reportNotMe(reporter, notice);
    answer = ANSWERS[result.outcome];
    if (result.outcome !== 'not-linked') ended = open;
  } catch (error) {
    kit.deps.logger.error({ err: errorText(error) }, '"This wasn\'t me" could not be completed');
    answer =
      error instanceof TemporarilyUnavailableError ? support.notMe.unavailable : common.somethingWentWrong;
  }
  if (ended !== null) {
    await kit.ui
      .showLocked(client, reporter, ended)
      .catch((error: unknown) =>
        kit.deps.logger.warn({ err: errorText(error) }, "the ended flow's message could not be updated"),
      );
  }
  // The payload names the notice; another person's is no place for this answer.
  const where =
    container.channel_id &&
    container.message_ts &&
    (await isOwnDm(client, reporter.userId, container.channel_id))
      ? { channel: container.channel_id, thread_ts: container.message_ts }
      : { channel: reporter.userId };
  await client.chat
    .postMessage({ ...where, ...textMessage(answer) })
    .catch((error: unknown) =>
      kit.deps.logger.warn({ err: errorText(error) }, '"This wasn\'t me" answer could not be sent'),
    );
}
