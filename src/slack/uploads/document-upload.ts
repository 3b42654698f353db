import type { webApi } from '@slack/bolt';
import { validation } from '../../messages/validation.js';
import { inspectDocumentFile, type DocumentFileProblem } from '../../services/document-images/inspection.js';
import type { SlackDependencies } from '../dependencies.js';
import type { SlackActor } from '../flow-ui.js';
import { fetchSlackFile } from './slack-file.js';
import { slackOwner } from '../../domain/flow-owner.js';

export type StagedUpload = { ok: true; ref: string } | { ok: false; error: string };

/** Fetching and checking must leave time to answer the submission within Slack's 3 seconds. */
const FETCH_TIMEOUT_MS = 2_000;

const PROBLEMS: Record<
  DocumentFileProblem | 'gone' | 'unavailable' | 'store-unavailable' | 'no-account',
  string
> = {
  empty: validation.identity.imageEmpty,
  'too-large': validation.identity.imageTooLarge,
  type: validation.identity.imageType,
  truncated: validation.identity.imageTruncated,
  dimensions: validation.identity.imageDimensions,
  gone: validation.identity.imageGone,
  unavailable: validation.identity.imageUnavailable,
  'store-unavailable': validation.identity.imageStoreUnavailable,
  'no-account': validation.identity.imageNoAccount,
};

/**
 * The identity form's uploaded image, as soon as the submission arrives: fetched with the
 * bot token, checked by content (type, size, pixel dimensions, completeness), sealed into the
 * document store, and the copy in the person's Slack files deleted. A form sent again after
 * a field error finds its image already stored (the Slack copy is gone by then). Anything
 * refused is stored nowhere and answered with the field error that names the problem.
 */
export async function stageDocumentUpload(
  deps: SlackDependencies,
  client: webApi.WebClient,
  actor: SlackActor,
  fileId: string,
): Promise<StagedUpload> {
  try {
    return await stage(deps, client, actor, fileId);
  } catch (error) {
    // The account store or the document store is down: the person hears it in the form.
    deps.logger.error(
      { err: error instanceof Error ? error.name : 'unknown' },
      'identity document upload could not be stored',
    );
    return { ok: false, error: PROBLEMS['store-unavailable'] };
  }
}

async function stage(
  deps: SlackDependencies,
  client: webApi.WebClient,
  actor: SlackActor,
  fileId: string,
): Promise<StagedUpload> {
  const refuse = (problem: keyof typeof PROBLEMS): StagedUpload => ({ ok: false, error: PROBLEMS[problem] });
  const account = await deps.stores.directory.getBySlackUser(actor.teamId, actor.userId);
  if (account === null) return refuse('no-account');
  const images = deps.services.documentImages;
  const ref = images.refOf(account.accountId, fileId);
  if ((await images.describe(account.accountId, ref)) !== null) return { ok: true, ref };

  const fetched = await fetchSlackFile(
    {
      client,
      botToken: deps.slack.botToken,
      fileOrigins: slackFileOrigins(deps.slack.apiUrl),
      timeoutMs: FETCH_TIMEOUT_MS,
    },
    fileId,
  );
  if (!fetched.ok) return refuse(fetched.problem);
  const inspection = await inspectDocumentFile(fetched.bytes);
  if (!inspection.ok) {
    deps.logger.info({ problem: inspection.problem }, 'identity document upload refused');
    return refuse(inspection.problem);
  }
  await images.store(account.accountId, fileId, fetched.bytes, inspection.contentType, slackOwner(actor));
  await client.files
    .delete({ file: fileId })
    .catch((error: unknown) =>
      deps.logger.warn(
        { err: error instanceof Error ? error.message : 'unknown' },
        'uploaded identity document could not be deleted from Slack',
      ),
    );
  return { ok: true, ref };
}

/** Slack serves uploads from files.slack.com; a configured API URL (a test double, a proxy) serves its own. */
function slackFileOrigins(apiUrl: string | null): string[] {
  return apiUrl === null ? ['https://files.slack.com'] : [new URL(apiUrl).origin];
}
