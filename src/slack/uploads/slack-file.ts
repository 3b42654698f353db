import type { webApi } from '@slack/bolt';
import { DOCUMENT_FILE_LIMITS } from '../../services/document-images/inspection.js';

export type SlackFileFetch =
  { ok: true; bytes: Buffer } | { ok: false; problem: 'too-large' | 'gone' | 'unavailable' };

export interface SlackFileSource {
  client: webApi.WebClient;
  botToken: string;
  /**
   * Where Slack serves files (`https://files.slack.com`, or the test double): the bot token
   * is sent to no other origin, whatever a files.info answer says.
   */
  fileOrigins: string[];
  /** The whole fetch must fit in Slack's 3-second answer window with the checks after it. */
  timeoutMs: number;
}

/**
 * Fetches an uploaded file with the bot token (files.info, then url_private), refusing to
 * read past the size limit: Slack's own size is checked first, then the bytes as they come.
 */
export async function fetchSlackFile(source: SlackFileSource, fileId: string): Promise<SlackFileFetch> {
  const signal = AbortSignal.timeout(source.timeoutMs);
  let info;
  try {
    info = await source.client.files.info({ file: fileId });
  } catch (error) {
    return {
      ok: false,
      problem:
        slackErrorCode(error) === 'file_not_found' || slackErrorCode(error) === 'file_deleted'
          ? 'gone'
          : 'unavailable',
    };
  }
  const file = info.file;
  if (!file?.url_private) return { ok: false, problem: 'gone' };
  if ((file.size ?? 0) > DOCUMENT_FILE_LIMITS.maxBytes) return { ok: false, problem: 'too-large' };
  const url = new URL(file.url_private);
  if (!source.fileOrigins.includes(url.origin)) return { ok: false, problem: 'unavailable' };
  try {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${source.botToken}` },
      redirect: 'error',
      signal,
    });
    if (!response.ok || !response.body)
      return { ok: false, problem: response.status === 404 ? 'gone' : 'unavailable' };
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > DOCUMENT_FILE_LIMITS.maxBytes) {
        await response.body.cancel().catch(() => undefined);
        return { ok: false, problem: 'too-large' };
      }
      chunks.push(Buffer.from(chunk));
    }
    return { ok: true, bytes: Buffer.concat(chunks) };
  } catch {
    return { ok: false, problem: 'unavailable' };
  }
}

function slackErrorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('data' in error)) return null;
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : null;
}
