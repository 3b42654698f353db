import type { FlowMessageKey } from '../../machines/index.js';
import { TemporarilyUnavailableError } from '../core/errors.js';
import type { PageState } from './password-pages.js';
import { messages } from '../messages/catalog.js';
import { flowText, type FlowTimings } from '../messages/flows.js';
import { HashingBusyError } from '../services/credentials/index.js';

/** Unknown, expired, used, superseded, revoked: one page, with no hint why. */
export const INVALID: PageState = { page: 'invalid' };
export const UNAVAILABLE: PageState = { page: 'unavailable' };

export const form = (kind: 'reset' | 'change', errors: string[]): PageState => ({
  page: 'form',
  kind,
  errors,
});

export function sentence(key: FlowMessageKey | null | undefined, timings: FlowTimings): string | null {
  return key ? flowText(key, timings) : null;
}

/**
 * Runs a page's work: a full hashing queue shows the same form again (the person only has to
 * submit once more), a store outage the "try again shortly" page.
 */
export async function safely(kind: 'reset' | 'change', work: () => Promise<PageState>): Promise<PageState> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HashingBusyError) return form(kind, [messages.flows['flow.hashingBusy']]);
    if (error instanceof TemporarilyUnavailableError) return UNAVAILABLE;
    throw error;
  }
}
