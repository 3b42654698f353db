import { z } from 'zod';
import { parseStoredRecord } from '../core/stored-record.js';

/** Where a flow's one DM message is, so every step updates it in place. */
export interface MessageLocation {
  channel: string;
  ts: string;
}

/** A flow's message and the flow it shows, so an answer without a machine keeps the flow's title. */
export interface FlowMessageRecord extends MessageLocation {
  machineId?: string;
  /** The message shows how the flow ended: a late duplicate must not replace that. */
  ended?: boolean;
  /**
   * Read from the open flow's own record: the write that finishes the flow (an engine result
   * `finished` with `recorded`) marks it ended there, so nobody needs to write that again.
   */
  followsFlow?: boolean;
}

/**
 * Remembers each flow's DM message for as long as the flow can live. Modals carry only the
 * flow id (security.md), so a submission finds the message to update here.
 */
export interface FlowMessages {
  remember(teamId: string, userId: string, flowId: string, record: FlowMessageRecord): Promise<void>;
  find(teamId: string, userId: string, flowId: string): Promise<FlowMessageRecord | null>;
}

/** A flow's DM message is remembered a day: longer than any flow stays open between steps. */
export const FLOW_MESSAGE_TTL_MS = 24 * 60 * 60_000;

const recordSchema = z.object({
  channel: z.string().min(1),
  ts: z.string().min(1),
  machineId: z.string().min(1).optional(),
  ended: z.boolean().optional(),
});

/** A stored record read back; anything else is reported as corrupt, never used. */
export function parseFlowMessageRecord(raw: string): FlowMessageRecord {
  return parseStoredRecord('flow message location', raw, recordSchema);
}
